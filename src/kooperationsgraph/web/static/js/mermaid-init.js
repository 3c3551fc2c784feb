// Renders <pre class="mermaid"> blocks with the vendored mermaid library (strict security level).
if (typeof mermaid !== "undefined") {
  mermaid.initialize({ startOnLoad: true, securityLevel: "strict", theme: "neutral" });
}
