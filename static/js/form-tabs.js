// The change form of a release or an event in tabs: text, people and links, pictures and
// documents, publishing, so that each part fits on a screen. Each fieldset and inline names
// its tab with a "tab-..." class (the ModelAdmin's fieldsets and inlines); the tabs' names come
// from #form-tabs-words, in the editor's language. Without JavaScript the form is one page.
//
// The WAI-ARIA tabs pattern: arrow keys, Home and End move between tabs and show each; Tab
// goes from the tab into its panel. A tab whose fields have errors is marked and shown first;
// a link or a label pointing into a hidden tab (the error summary) shows that tab. The tab
// last shown is kept for the same page (after "Save and continue editing").
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  const words = document.getElementById("form-tabs-words");
  const form = document.querySelector("#content-main form[method=post]");
  if (!words || !form) return;

  const order = ["text", "links", "media", "publishing"];
  const parts = {};
  form.querySelectorAll("fieldset[class*='tab-']").forEach((fieldset) => {
    const found = fieldset.className.match(/\btab-(\w+)\b/);
    if (!found || !order.includes(found[1])) return;
    // An inline's fieldset sits in its group, with the group's management form.
    const block = fieldset.closest(".inline-group") || fieldset;
    (parts[found[1]] = parts[found[1]] || []).push(block);
  });
  const names = order.filter((name) => parts[name]);
  if (names.length < 2) return;

  const blocks = names.flatMap((name) => parts[name]);
  const first = blocks.reduce((a, b) =>
    a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_PRECEDING ? b : a
  );
  const tablist = document.createElement("div");
  tablist.className = "form-tabs";
  tablist.setAttribute("role", "tablist");
  tablist.setAttribute("aria-label", words.dataset.label);
  first.before(tablist);

  const tabs = [];
  const panels = [];
  let anchor = tablist;
  names.forEach((name) => {
    const tab = document.createElement("button");
    tab.type = "button";
    tab.id = "form-tab-" + name;
    tab.setAttribute("role", "tab");
    tab.setAttribute("aria-controls", "form-tab-panel-" + name);
    tab.textContent = words.dataset[name];
    const panel = document.createElement("div");
    panel.id = "form-tab-panel-" + name;
    panel.className = "form-tab-panel";
    panel.setAttribute("role", "tabpanel");
    panel.setAttribute("aria-labelledby", tab.id);
    panel.tabIndex = 0;
    parts[name].forEach((block) => panel.append(block)); // in the form's order
    anchor.after(panel);
    anchor = panel;
    if (panel.querySelector(".errorlist, .errornote, .errors")) {
      const mark = document.createElement("span");
      mark.className = "tab-errors";
      mark.textContent = "! " + words.dataset.errors;
      tab.append(mark);
      tab.dataset.errors = "1";
    }
    tablist.append(tab);
    tabs.push(tab);
    panels.push(panel);
  });

  const key = "form-tab:" + window.location.pathname;
  function show(index, focus) {
    tabs.forEach((tab, i) => {
      const selected = i === index;
      tab.setAttribute("aria-selected", selected ? "true" : "false");
      tab.tabIndex = selected ? 0 : -1;
      panels[i].hidden = !selected;
    });
    if (focus) tabs[index].focus();
    try {
      window.sessionStorage.setItem(key, names[index]);
    } catch (error) {
      // Storage refused (private mode): the first tab next time.
    }
  }

  // A tab chosen by hand: an address's #field (an error link followed earlier, kept through
  // the save's redirect) no longer says what is shown.
  function choose(index, focus) {
    if (window.location.hash) {
      window.history.replaceState(null, "", window.location.pathname + window.location.search);
    }
    show(index, focus);
  }

  tabs.forEach((tab, index) => {
    tab.addEventListener("click", () => choose(index, false));
    tab.addEventListener("keydown", (event) => {
      const last = tabs.length - 1;
      const next = {
        ArrowRight: index === last ? 0 : index + 1,
        ArrowLeft: index === 0 ? last : index - 1,
        Home: 0,
        End: last,
      }[event.key];
      if (next === undefined) return;
      event.preventDefault();
      choose(next, true);
    });
  });

  // Whatever points into a hidden tab shows it first: the error summary's links, labels.
  function reveal(target) {
    const panel = target && target.closest(".form-tab-panel");
    if (panel && panel.hidden) show(panels.indexOf(panel), false);
  }
  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[href^='#']");
    if (link && link.hash.length > 1) reveal(document.getElementById(link.hash.slice(1)));
  });
  form.addEventListener("invalid", (event) => reveal(event.target), true);

  let start = tabs.findIndex((tab) => tab.dataset.errors);
  if (start < 0) {
    let kept = null;
    try {
      kept = window.sessionStorage.getItem(key);
    } catch (error) {
      kept = null;
    }
    start = Math.max(0, names.indexOf(kept));
  }
  if (window.location.hash.length > 1) {
    const target = document.getElementById(window.location.hash.slice(1));
    const panel = target && target.closest(".form-tab-panel");
    if (panel) start = panels.indexOf(panel);
  }
  show(start, false);
});
