// asgi-consent scanner: find the consent banner and its Accept / Reject buttons, and measure them.
// Called with the button words of every shipped language; marks what it finds with data-consent-scan
// ("banner", "accept", "reject") so the scanner can click and focus them.
(words) => {
  const norm = (s) => (s || "").replace(/\s+/g, " ").trim().toLowerCase();
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== "hidden" && s.display !== "none" && parseFloat(s.opacity || "1") > 0;
  };
  const describe = (el) => {
    let d = el.tagName.toLowerCase();
    if (el.id) d += "#" + el.id;
    const role = el.getAttribute("role");
    if (role) d += "[role=" + role + "]";
    if (el.getAttribute("aria-modal") === "true") d += "[aria-modal]";
    return d;
  };
  const accepts = new Set(words.accept);
  const rejects = new Set(words.reject);
  const kind = (el) => {
    const value = (el.getAttribute("value") || "").toLowerCase();
    if (el.getAttribute("name") === "action" && (value === "accept" || value === "reject")) return value;
    const text = norm(el.innerText || el.value || el.getAttribute("aria-label"));
    if (accepts.has(text)) return "accept";
    if (rejects.has(text)) return "reject";
    if (/^(accept|agree|allow|i agree|got it|yes)\b/.test(text)) return "accept";
    if (/\b(reject|decline|deny|refuse|disagree|only necessary|necessary only|continue without)\b/.test(text)) return "reject";
    return "";
  };
  // Dialog-like containers first (the middleware's banner, role=dialog, <dialog open>), then fixed or
  // sticky boxes near the top of the tree, which is how most banners are built.
  const found = [...document.querySelectorAll('#consent-banner, [role=dialog], [role=alertdialog], dialog[open], [aria-modal=true]')];
  for (const el of document.querySelectorAll("body > *, body > * > *")) {
    const position = getComputedStyle(el).position;
    if ((position === "fixed" || position === "sticky") && !found.includes(el)) found.push(el);
  }
  const luminance = (rgb) => {
    const c = rgb.map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  const parse = (color) => (color.match(/[\d.]+/g) || ["0", "0", "0", "0"]).map(Number);
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c.length < 4 || c[3] > 0.5) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const measure = (el) => {
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    const fg = luminance(parse(s.color).slice(0, 3));
    const bg = luminance(background(el));
    return {
      text: (el.innerText || el.value || "").replace(/\s+/g, " ").trim(),
      tag: el.tagName.toLowerCase(),
      width: Math.round(r.width * 10) / 10,
      height: Math.round(r.height * 10) / 10,
      font_size: s.fontSize,
      font_weight: s.fontWeight,
      contrast: Math.round(((Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05)) * 100) / 100,
    };
  };
  for (const box of found) {
    if (!visible(box)) continue;
    const controls = [...box.querySelectorAll('button, [role=button], input[type=submit], input[type=button], a[href]')].filter(visible);
    const accept = controls.find((el) => kind(el) === "accept");
    if (!accept) continue;
    const reject = controls.find((el) => kind(el) === "reject");
    box.setAttribute("data-consent-scan", "banner");
    accept.setAttribute("data-consent-scan", "accept");
    if (reject) reject.setAttribute("data-consent-scan", "reject");
    const langOf = (el) => { const l = el.closest("[lang]"); return l ? l.getAttribute("lang") : ""; };
    return {
      where: describe(box),
      page_lang: document.documentElement.getAttribute("lang") || "",
      banner_lang: langOf(box),
      accept: measure(accept),
      reject: reject ? measure(reject) : null,
    };
  }
  return { where: "", page_lang: document.documentElement.getAttribute("lang") || "" };
}
