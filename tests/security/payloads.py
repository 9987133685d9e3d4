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
