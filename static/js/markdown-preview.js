// Live preview of the Markdown body under the editor's text box, rendered by the server with
// the same Markdown and sanitiser the public page uses (so what you see is what goes out).
// The admin loads form media in <head>: start once the document is there.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  const config = document.getElementById("editorial-config");
  if (!config) return;
  const url = config.dataset.renderUrl;
  const csrf = document.querySelector("input[name=csrfmiddlewaretoken]");
  const boxes = ["id_body", "id_lead", "id_description"]
    .map((id) => document.getElementById(id))
    .filter(Boolean);

  boxes.forEach((box) => {
    const heading = document.createElement("p");
    heading.className = "markdown-preview-heading";
    heading.id = box.id + "_preview_heading";
    const label = document.querySelector(`label[for="${box.id}"]`);
    const name = label ? label.textContent.replace(/:\s*$/, "").trim() : box.name;
    // One name per preview: "Lead: preview", "Body: preview" (two regions of one name confuse).
    heading.textContent = `${name}: ${config.dataset.previewWord || "preview"}`;
    const pane = document.createElement("div");
    pane.className = "markdown-preview";
    pane.id = box.id + "_preview";
    pane.setAttribute("role", "region");
    pane.setAttribute("aria-labelledby", heading.id);
    pane.setAttribute("aria-live", "polite");
    pane.tabIndex = 0; // a long preview scrolls: reachable by keyboard
    box.setAttribute("aria-describedby", [box.getAttribute("aria-describedby"), pane.id].filter(Boolean).join(" "));
    box.after(heading, pane);

    let timer = null;
    let sent = 0;
    const render = () => {
      const ticket = ++sent;
      const body = new FormData();
      body.append("text", box.value);
      fetch(url, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrf ? csrf.value : "" },
      })
        .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
        .then((data) => {
          if (ticket === sent) pane.innerHTML = data.html; // sanitised on the server (nh3)
        })
        .catch(() => {
          if (ticket === sent) pane.textContent = config.dataset.previewFailed || "Preview unavailable.";
        });
    };
    box.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(render, 400);
    });
    render();
  });
});
