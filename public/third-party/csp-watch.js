// Records every Content-Security-Policy violation on the page in
// window.__violations, so a test (or a curious reader with the console open) sees
// whether the widget needed anything the page's policy forbids.
window.__violations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__violations.push({
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    sample: event.sample,
  });
});
