// What Django admin's stock parts leave unnamed for a screen reader, named after the page is
// built: the autocomplete boxes' search fields (named by their field's label), the fields of
// tabular inline rows (by their column heading), and the inline tables' empty first heading.
// Loaded with `defer`: it runs before the admin's own ready handlers, which build the boxes.
(function () {
  "use strict";
  const words = document.getElementById("admin-a11y-words");
  const said = (key, fallback) => (words && words.dataset[key]) || fallback;

  // A multiple autocomplete with an "empty all" cross writes a bare <span> inside its list:
  // each chosen item keeps its own remove button, so the list needs no second one.
  document.querySelectorAll("select.admin-autocomplete[multiple]").forEach((select) => {
    select.dataset.allowClear = "false";
  });

  function labelOf(field) {
    const label = field.id && document.querySelector(`label[for="${field.id}"]`);
    if (label) return label.textContent.replace(/:\s*$/, "").trim();
    const cell = field.closest("td");
    const table = field.closest("table");
    if (!cell || !table) return "";
    const heading = table.querySelectorAll("thead th")[cell.cellIndex];
    return heading ? heading.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function nameTheUnnamed(root) {
    root.querySelectorAll("table thead th").forEach((th) => {
      if (!th.textContent.trim()) {
        const hidden = document.createElement("span");
        hidden.className = "visually-hidden";
        hidden.textContent = said("row", "Row");
        th.append(hidden);
      }
    });
    root.querySelectorAll(".tabular td input, .tabular td select, .tabular td textarea").forEach((field) => {
      if (field.type === "hidden" || field.getAttribute("aria-label")) return;
      if (field.id && document.querySelector(`label[for="${field.id}"]`)) return;
      const name = labelOf(field);
      if (name) field.setAttribute("aria-label", name);
    });
    root.querySelectorAll("select.admin-autocomplete").forEach((select) => {
      const box = select.nextElementSibling;
      if (!box || !box.classList.contains("select2")) return;
      const name = labelOf(select);
      box.querySelectorAll(".select2-search__field").forEach((search) => {
        if (name) search.setAttribute("aria-label", name);
      });
      box.querySelectorAll("[role=combobox]").forEach((combo) => {
        if (name && !combo.getAttribute("aria-label")) combo.setAttribute("aria-label", name);
      });
    });
  }

  // select2 builds its boxes when jQuery is ready (after the page's own load, at times) and its
  // search field again whenever the choices change; inline rows come and go: name what appears.
  let pending = false;
  new MutationObserver(() => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      nameTheUnnamed(document);
    });
  }).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", () => nameTheUnnamed(document));
})();
