// The co-sign form suggests organizations already known as the signer types,
// so an organization that signed before is matched rather than duplicated.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-suggest-url]");
  if (!form) return;
  const name = form.querySelector("#id_organization_name");
  const list = form.querySelector("#organization-suggestions");
  const note = form.querySelector("#organization-match");
  let found = [];
  let timer;

  const fill = (field, value) => {
    const input = form.querySelector(field);
    if (input && !input.value && value) input.value = value;
  };

  const showMatch = () => {
    const match = found.find((o) => o.name.toLowerCase() === name.value.trim().toLowerCase());
    note.textContent = match
      ? interpolate(
          gettext("%(name)s is already known: your signature will be added to its entry."),
          { name: match.name },
          true,
        )
      : "";
    if (match) {
      fill("#id_website", match.website);
      fill("#id_country", match.country);
    }
  };

  name.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const query = name.value.trim();
      if (query.length < 2) return;
      const url = `${form.dataset.suggestUrl}?q=${encodeURIComponent(query)}`;
      try {
        const response = await fetch(url, { headers: { Accept: "application/json" } });
        if (!response.ok) return;
        found = (await response.json()).organizations;
      } catch {
        return; // Suggestions are a convenience; the form works without them.
      }
      list.replaceChildren(
        ...found.map((o) => {
          const option = document.createElement("option");
          option.value = o.name;
          option.label = [o.short_name, o.website].filter(Boolean).join(" · ");
          return option;
        }),
      );
      showMatch();
    }, 200);
  });
  name.addEventListener("change", showMatch);
});

// Where individuals may sign, the signer first says how; the fields of the other way
// are hidden then. Without the script every field shows, and the server reads only
// those of the way chosen.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-signs-as]");
  if (!form) return;
  const choices = form.querySelectorAll("input[name='signs_as']");
  const show = () => {
    const chosen = form.querySelector("input[name='signs_as']:checked")?.value;
    for (const part of form.querySelectorAll("[data-for]")) {
      part.hidden = Boolean(chosen) && part.dataset.for !== chosen;
    }
  };
  for (const choice of choices) choice.addEventListener("change", show);
  show();
});
