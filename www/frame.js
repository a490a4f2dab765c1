// The report frame: shows the Rust-rendered report full-width at its own height, so the
// page scrolls (not a box inside it), and makes the report's in-page links (contents,
// links to checks, columns, definitions) scroll the page. UI only: it reads the frame's
// layout, never its content. The frame is sandboxed without scripts; `allow-same-origin`
// only lets this page measure it.

/** Sizes `frame` to its document's height and keeps it so (details opened, resizes). */
export function fitReportFrame(frame) {
  const fit = () => {
    const doc = frame.contentDocument;
    if (!doc || !doc.documentElement) return;
    // The frame's borders are inside its height (box-sizing: border-box).
    const borders = frame.offsetHeight - frame.clientHeight;
    frame.style.height = '0px';
    frame.style.height = `${doc.documentElement.scrollHeight + borders}px`;
  };
  frame.addEventListener('load', () => {
    const doc = frame.contentDocument;
    if (!doc) return;
    fit();
    doc.addEventListener('toggle', fit, true);
    doc.addEventListener('click', (event) => followLink(frame, event), true);
  });
  window.addEventListener('resize', fit);
  return fit;
}

/** An in-report link: open the collapsed parts around its target and scroll the page to it. */
function followLink(frame, event) {
  const link = event.target.closest && event.target.closest('a[href^="#"]');
  if (!link) return;
  const doc = frame.contentDocument;
  const target = doc.getElementById(decodeURIComponent(link.getAttribute('href').slice(1)));
  if (!target) return;
  event.preventDefault();
  for (let d = target.closest('details'); d; d = d.parentElement && d.parentElement.closest('details')) d.open = true;
  // Opening parts changes the height: measure after the toggle events have resized the frame.
  requestAnimationFrame(() => {
    const top = frame.getBoundingClientRect().top + target.getBoundingClientRect().top + window.scrollY;
    window.scrollTo({ top: Math.max(0, top - 8) });
  });
}
