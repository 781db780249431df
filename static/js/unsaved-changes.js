// Warn before leaving the change form with unsaved changes (closing the tab, following a
// link, going back). Saving, a workflow button and "Preview what is on screen" do not count.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  const form = document.querySelector("#content-main form[method=post]");
  if (!form) return;
  let dirty = false;
  form.addEventListener("input", () => { dirty = true; });
  form.addEventListener("change", () => { dirty = true; });
  form.addEventListener("submit", (event) => {
    const button = event.submitter;
    // The preview opens in a new tab: this page stays, still unsaved.
    if (!(button && button.getAttribute("formtarget") === "_blank")) dirty = false;
  });
  window.addEventListener("beforeunload", (event) => {
    if (!dirty) return;
    event.preventDefault();
    event.returnValue = "";  // older browsers need a value to show their prompt
  });
});
