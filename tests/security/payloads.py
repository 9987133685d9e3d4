"""A corpus of stored-XSS payloads. Each one, if it ever ran, would set `window.__xss`."""

XSS = [
    "<script>window.__xss=1</script>",
    "<img src=x onerror=window.__xss=1>",
    '"><svg onload="window.__xss=1">',
    "'><iframe srcdoc=\"<script>parent.__xss=1</script>\"></iframe>",
    "<a href=\"javascript:window.__xss=1\">click</a>",
    "</textarea><script>window.__xss=1</script>",
    "<details open ontoggle=window.__xss=1>",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>",
    "{{ 7|add:7 }}{% now 'Y' %}<body onload=window.__xss=1>",
    "<<script>script>window.__xss=1<</script>/script>",
]
#: Markers that must never appear as live markup in a page showing stored payloads.
DANGEROUS_SELECTOR = (
    "script:not([src]), [onerror], [onload], [ontoggle], iframe[srcdoc], a[href^='javascript:' i], body[onload]"
)
FORMULAS = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1+1", "=cmd|' /C calc'!A0"]

#: Rich text as a staff editor might paste it: harmless formatting that must survive cleaning, then every payload.
RICH_TEXT = ('<p>Kept <strong>formatting</strong> and a <a href="https://example.org/">safe link</a>.</p>'
             + "".join(XSS))

#: Run in a page (`page.evaluate`): every live element a stored payload could have created — event-handler
#: attributes, inline scripts, javascript: URLs, srcdoc frames, SVG/MathML islands, the corpus' `<img src=x>` —
#: as short descriptions; `[]` means the page shows the payloads as text only. Wider than DANGEROUS_SELECTOR: it
#: also catches handlers the selector does not name (onmouseover, onfocus …).
LIVE_MARKUP_JS = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    if (tag === 'script' && !el.hasAttribute('src')) found.push('inline <script>');
    if (['iframe', 'frame', 'object', 'embed', 'svg', 'math', 'mglyph'].includes(tag)) found.push('<' + tag + '>');
    if (tag === 'img' && el.getAttribute('src') === 'x') found.push('<img src=x>');
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on')) found.push(tag + '[' + name + ']');
      if (name === 'srcdoc') found.push(tag + '[srcdoc]');
      if (['href', 'src', 'action', 'formaction', 'xlink:href'].includes(name)
          && /^\\s*(javascript|vbscript|data:text\\/html)/i.test(attr.value)) {
        found.push(tag + '[' + name + '=' + attr.value + ']');
      }
    }
  }
  return found;
}"""
