/**
 * The report's only stylesheet, inline (the file must work offline). Colours keep at least 4.5:1
 * contrast with their background; outcomes are also written out, never shown by colour alone.
 * No "<" or "&" in here: the page stays well-formed XML.
 */
export const REPORT_CSS = `
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f1f1f; background: #ffffff;
  margin: 0 auto; max-width: 1100px; padding: 1.5rem; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { border-bottom: 1px solid #d0d0d0; padding-bottom: 0.2rem; margin-top: 2.2rem; }
a { color: #0b5cad; }
table { border-collapse: collapse; margin: 0.6rem 0 1rem; font-size: 0.9rem; }
th, td { border: 1px solid #d0d0d0; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.meta { color: #4a4a4a; }
.outcome { font-weight: 600; padding: 0 0.3rem; border-radius: 3px; }
.outcome-ok { color: #1a6b3f; background: #e6f4ec; }
.outcome-warn { color: #7a4d00; background: #fff3d6; }
.outcome-bad { color: #a1260d; background: #fde8e4; }
.outcome-muted { color: #4a4a4a; background: #efefef; }
figure { margin: 1rem 0 1.6rem; }
figcaption { font-weight: 600; margin-bottom: 0.3rem; }
svg.chart { max-width: 100%; height: auto; border: 1px solid #e0e0e0; }
.step { border-left: 3px solid #d0d0d0; padding-left: 0.8rem; margin: 1rem 0; }
.step h3 { margin: 0.2rem 0; }
ul.figures { margin: 0; padding-left: 1rem; }
.no-data { color: #4a4a4a; font-style: italic; }
`;
