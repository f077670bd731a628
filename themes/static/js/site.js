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

// search.css shows the folded facets open on wide screens through ::details-content; a browser
// without it gets them opened here instead (its visitors can still fold them with the summary).
if (!CSS.supports("selector(::details-content)") && matchMedia("(min-width: 761px)").matches) {
  document.querySelectorAll("details.facet-panel").forEach((panel) => { panel.open = true; });
}
