// Autocomplete for search boxes that carry data-autocomplete (the endpoint returns {"suggestions": [...]}).
document.querySelectorAll("input[data-autocomplete]").forEach((input) => {
  const list = document.createElement("datalist");
  list.id = `${input.id}-suggestions`;
  input.setAttribute("list", list.id);
  input.after(list);
  let timer;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    const q = input.value.trim();
    if (q.length < 2) return;
    timer = setTimeout(async () => {
      try {
        const response = await fetch(`${input.dataset.autocomplete}?q=${encodeURIComponent(q)}`);
        if (!response.ok) return;
        const data = await response.json();
        list.replaceChildren(...(data.suggestions || []).map((s) => Object.assign(document.createElement("option"), { value: s.title || s })));
      } catch (e) { /* suggestions are a convenience; typing still works */ }
    }, 150);
  });
});

// search.css shows the folded facets on wide screens through ::details-content, which is enough
// without JavaScript; with it, the panel is opened for real there, so assistive technology and
// the headings inside it see an open panel rather than a folded one that happens to be drawn.
if (matchMedia("(min-width: 761px)").matches) {
  document.querySelectorAll("details.facet-panel").forEach((panel) => { panel.open = true; });
}

// The sample-order form's commune suggestions follow the province chosen: a select carrying
// data-wards-url (…/wards/0/, the province's id goes in place of the 0) fills the datalist named by
// data-wards-list. Without JavaScript the form's "List the communes and wards" button does the same
// by a round trip; with it, that button is removed, so Enter in a field places the order again.
document.querySelectorAll("select[data-wards-url]").forEach((select) => {
  const list = document.getElementById(select.dataset.wardsList);
  if (!list) return;
  list.parentElement.querySelector("button.show-wards")?.remove();
  select.addEventListener("change", async () => {
    list.replaceChildren();
    if (!select.value) return;
    try {
      const response = await fetch(select.dataset.wardsUrl.replace(/0\/$/, `${encodeURIComponent(select.value)}/`));
      if (!response.ok) return;
      const data = await response.json();
      list.replaceChildren(...(data.wards || []).map((name) => Object.assign(document.createElement("option"), { value: name })));
    } catch (e) { /* suggestions are a convenience; the server still reads what is typed */ }
  });
});

// The product page is the same for every visitor (a proxy keeps it), so it carries no form: its
// "Ask for a quotation" link (data-inquiry-form names the section it stands in) leads to the form's
// own page, which works without JavaScript. With it, that page is fetched and its form section takes
// the link's place; the fetch brings the CSRF cookie and a fresh one-time token, and the form posts
// to the same address as on its own page. Should the fetch fail, the link is followed after all.
document.querySelectorAll("a[data-inquiry-form]").forEach((link) => {
  link.addEventListener("click", async (event) => {
    event.preventDefault();
    const section = link.closest(link.dataset.inquiryForm);
    try {
      const response = await fetch(link.href, { credentials: "same-origin", headers: { Accept: "text/html" } });
      if (!response.ok) throw new Error(String(response.status));
      const html = new DOMParser().parseFromString(await response.text(), "text/html");
      const fetched = html.querySelector(link.dataset.inquiryForm);
      if (!fetched || !fetched.querySelector("form") || !section) throw new Error("no form");
      const replacement = document.importNode(fetched, true);
      section.replaceWith(replacement);
      // The first field a person fills (never the hidden honeypot above the grid).
      replacement.querySelector(".form-grid input, .form-grid select, .form-grid textarea")?.focus();
    } catch (e) {
      window.location.assign(link.href);
    }
  });
});
