"""Markdown rendered as GitHub shows it, in a real browser: GFM (marked) plus Mermaid, in headless Chromium.

GitHub draws a ```mermaid block with Mermaid's `default` theme on light pages and its `dark` theme on
dark ones, inside the ~900 px wide markdown column, scaled down to fit (`useMaxWidth`). So a diagram
is readable there when its natural width fits 900 px and its text contrasts with what it sits on.

`measure(markdown, theme)` renders one document and returns, per diagram, whether Mermaid drew it,
its natural width, and the lowest text contrast (node, subgraph and edge labels against their fill).
The JavaScript writes its findings into the page; Chromium's --dump-dom hands the page back.

Needs Chromium (Debian's `chromium`) and node's npm (to put mermaid and marked into
.hclgen/tools/github-render once). `python -m tests.support.githubrender FILE.md [--png DIR]` prints the
figures and takes screenshots in both themes.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # tests/support/ -> the checkout
TOOLS = ROOT / ".hclgen" / "tools" / "github-render"
PACKAGES = ("mermaid@11.12.2", "marked@15.0.12")
COLUMN_PX = 900  # GitHub's markdown column on a PR page at the usual window width
THEMES = {"light": ("default", "#ffffff", "#1f2328"), "dark": ("dark", "#0d1117", "#e6edf3")}


class Unavailable(Exception):
    """What the harness needs is not on this machine and cannot be installed."""


@dataclass(frozen=True)
class Figure:
    rendered: bool
    error: str
    width: float  # natural width in px (the SVG's viewBox), before GitHub scales it to the column
    min_contrast: float
    worst: str  # the label with the lowest contrast


def chromium() -> str:
    for name in (os.environ.get("HCLGEN_CHROMIUM", ""), "chromium", "chromium-browser", "google-chrome"):
        if name and (found := shutil.which(name)):
            return found
    raise Unavailable("no Chromium on PATH (Debian: apt-get install chromium)")


def scripts() -> tuple[Path, Path]:
    """mermaid.min.js and marked.umd.js, installed into .hclgen/tools/github-render on first use."""
    mermaid = TOOLS / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
    marked = TOOLS / "node_modules" / "marked" / "lib" / "marked.umd.js"
    if not (mermaid.is_file() and marked.is_file()):
        npm = shutil.which("npm")
        if npm is None:
            raise Unavailable("no npm on PATH to install mermaid and marked")
        TOOLS.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--silent", "--prefix", str(TOOLS), *PACKAGES],
            capture_output=True,
            text=True,
            timeout=900,
        )
        if done.returncode != 0 or not mermaid.is_file():
            raise Unavailable(f"npm install {' '.join(PACKAGES)} failed: {(done.stderr or done.stdout)[-500:]}")
    return mermaid, marked


_PAGE = """<!doctype html><html><head><meta charset="utf-8">
<style>
body {{ margin: 0; background: {background}; color: {foreground};
  font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; }}
.markdown-body {{ width: {column}px; padding: 16px; font-size: 14px; line-height: 1.5; }}
.markdown-body table {{ border-collapse: collapse; display: block; overflow: auto; }}
.markdown-body td, .markdown-body th {{ border: 1px solid #3d444d; padding: 6px 13px; }}
.markdown-body pre {{ background: {code}; padding: 16px; overflow: auto; }}
.markdown-body .d-add {{ color: {add}; }} .markdown-body .d-del {{ color: {delete}; }}
.markdown-body .d-chg {{ color: {change}; }}
</style>
<script src="{marked}"></script><script src="{mermaid}"></script></head>
<body><article class="markdown-body" id="doc"></article><pre id="result" hidden></pre>
<script>@@SCRIPT@@</script>
</body></html>"""

_SCRIPT = r"""
function rgba(text) {
  const m = text.match(/rgba?\(([^)]+)\)/);
  if (!m) return null;
  const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number);
  return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
}
function over(top, bottom) {
  const a = top[3];
  return [0, 1, 2].map(i => top[i] * a + bottom[i] * (1 - a)).concat([1]);
}
function lum(c) {
  const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
}
function contrast(a, b) { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); }
function fillOf(el, page) {
  if (!el) return page;
  const style = getComputedStyle(el);
  const c = rgba(el instanceof SVGElement ? style.fill : style.backgroundColor);
  if (!c) return page;
  const opacity = Number(style.fillOpacity || 1) * Number(style.opacity || 1);
  return over([c[0], c[1], c[2], c[3] * opacity], page);
}
function textColour(el) {
  const inner = el.querySelector("span, p, div") || el;
  const style = getComputedStyle(inner);
  return rgba(inner instanceof SVGElement ? style.fill : style.color);
}
async function main() {
  const page = rgba(getComputedStyle(document.body).backgroundColor);
  const html = marked.parse(SOURCE, {gfm: true});
  const doc = document.getElementById("doc");
  doc.innerHTML = html;
  const blocks = [...doc.querySelectorAll("pre > code.language-mermaid")];
  const out = [];
  mermaid.initialize({startOnLoad: false, theme: THEME, securityLevel: "strict", flowchart: {useMaxWidth: true}});
  for (let i = 0; i < blocks.length; i++) {
    const holder = document.createElement("div");
    blocks[i].parentElement.replaceWith(holder);
    try {
      const {svg} = await mermaid.render("diagram" + i, blocks[i].textContent);
      holder.innerHTML = svg;
      const el = holder.querySelector("svg");
      const width = el.viewBox.baseVal ? el.viewBox.baseVal.width : el.getBBox().width;
      let worst = 99, what = "";
      const check = (textEl, shapeEl, name) => {
        const colour = textColour(textEl);
        if (!colour || !textEl.textContent.trim()) return;
        const ratio = contrast(over(colour, page), fillOf(shapeEl, page));
        if (ratio < worst) { worst = ratio; what = name + ": " + textEl.textContent.trim().slice(0, 60); }
      };
      el.querySelectorAll("g.node").forEach(n => {
        const shape = n.querySelector("rect, polygon, path, circle, ellipse");
        n.querySelectorAll(".nodeLabel, text").forEach(t => check(t, shape, "node"));
      });
      el.querySelectorAll("g.cluster").forEach(n => {
        n.querySelectorAll(".nodeLabel, text").forEach(t => check(t, n.querySelector("rect"), "subgraph"));
      });
      el.querySelectorAll("g.edgeLabel").forEach(n => {
        // what the label sits on: its own background over the (half-transparent) rect Mermaid draws behind it
        const under = fillOf(n.querySelector("rect"), page);
        n.querySelectorAll("span.edgeLabel, text").forEach(t => {
          const colour = textColour(t);
          if (!colour || !t.textContent.trim()) return;
          const ratio = contrast(over(colour, page), fillOf(t, under));
          if (ratio < worst) { worst = ratio; what = "edge label: " + t.textContent.trim().slice(0, 60); }
        });
      });
      out.push({rendered: true, error: "", width: width, min_contrast: worst, worst: what});
    } catch (e) {
      out.push({rendered: false, error: String(e && e.message || e), width: 0, min_contrast: 0, worst: ""});
    }
  }
  const result = document.getElementById("result");
  result.textContent = JSON.stringify(out);
  result.setAttribute("data-done", "1");
}
main();
"""

_DIFF = {"light": ("#f6f8fa", "#1a7f37", "#cf222e", "#9a6700"), "dark": ("#151b23", "#3fb950", "#f85149", "#d29922")}


def page(markdown: str, theme: str) -> str:
    mermaid, marked = scripts()
    mermaid_theme, background, foreground = THEMES[theme]
    code, add, delete, change = _DIFF[theme]
    head = _PAGE.format(
        background=background,
        foreground=foreground,
        column=COLUMN_PX,
        code=code,
        add=add,
        delete=delete,
        change=change,
        marked=marked.as_uri(),
        mermaid=mermaid.as_uri(),
    )
    script = f"const SOURCE = {json.dumps(markdown)};\nconst THEME = {json.dumps(mermaid_theme)};\n{_SCRIPT}"
    return head.replace("@@SCRIPT@@", script.replace("</", "<\\/"))


def _chromium(html_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--allow-file-access-from-files",
            "--virtual-time-budget=30000",
            "--hide-scrollbars",
            *extra,
            html_path.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )


def measure(markdown: str, theme: str, screenshot: Path | None = None) -> list[Figure]:
    """Every ```mermaid block of the document, rendered in Chromium with GitHub's theme for `theme`."""
    with tempfile.TemporaryDirectory() as tmp:
        html_path = Path(tmp) / "page.html"
        html_path.write_text(page(markdown, theme), encoding="utf-8")
        done = _chromium(html_path, "--dump-dom")
        found = re.search(r'<pre id="result"[^>]*>(.*?)</pre>', done.stdout, re.S)
        if not found or "data-done" not in done.stdout:
            raise AssertionError(f"the page did not finish rendering: {done.stderr[-800:]}")
        if screenshot is not None:
            _chromium(html_path, f"--screenshot={screenshot}", f"--window-size={COLUMN_PX + 40},2400")
    return [Figure(**item) for item in json.loads(html.unescape(found.group(1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="render Markdown GitHub-style and measure its diagrams")
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--png", type=Path, help="write screenshots (<name>-<theme>.png) into this folder")
    args = parser.parse_args(argv)
    for path in args.files:
        for theme in THEMES:
            shot = None
            if args.png:
                args.png.mkdir(parents=True, exist_ok=True)
                shot = args.png / f"{path.parent.name}-{path.stem}-{theme}.png"
            for i, fig in enumerate(measure(path.read_text(encoding="utf-8"), theme, shot)):
                print(
                    f"{path} [{theme}] diagram {i + 1}: rendered={fig.rendered} width={fig.width:.0f}px "
                    f"min contrast={fig.min_contrast:.2f} ({fig.worst}) {fig.error}"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
