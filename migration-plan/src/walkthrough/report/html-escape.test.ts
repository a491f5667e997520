import { escapeHtml, safeHref } from "./html-escape";
import { escapeMarkdown, markdownLink } from "./markdown-escape";

describe("escaping text from the input", () => {
  it("escapes markup and quotes for HTML content and attributes", () => {
    expect(escapeHtml(`<script>alert("x")</script> & 'y'`)).toBe(
      "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;",
    );
  });

  it("shows characters XML cannot hold as \\u escapes", () => {
    expect(escapeHtml("a\u0000b\u001bc\uFFFE")).toBe("a\\u0000b\\u001bc\\ufffe");
  });

  it("links only http(s) URLs", () => {
    expect(safeHref("http://127.0.0.1:4100/dash?a=1&b=2")).toBe("http://127.0.0.1:4100/dash?a=1&amp;b=2");
    expect(safeHref("javascript:alert(1)")).toBeNull();
    expect(safeHref("data:text/html,<b>")).toBeNull();
    expect(safeHref("not a url")).toBeNull();
  });

  it("keeps Markdown text on one line, out of table cells and free of markup", () => {
    expect(escapeMarkdown("a | b\n<img src=x> *c* [d](e)")).toBe("a \\| b &lt;img src=x&gt; \\*c\\* \\[d\\](e)");
  });

  it("makes Markdown links of http(s) and relative URLs only", () => {
    expect(markdownLink("report", "report.html")).toBe("[report](<report.html>)");
    expect(markdownLink("dash", "https://example.test/d")).toBe("[dash](<https://example.test/d>)");
    expect(markdownLink("x", "javascript:alert(1)")).toBe("javascript:alert(1)");
  });
});
