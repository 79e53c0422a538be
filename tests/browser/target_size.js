// WCAG 2.2 target size (minimum), 2.5.8: every visible link, button and form control is
// at least 24 by 24 CSS pixels, unless it is inline in a sentence, or a 24 px circle on
// its centre touches no other target (nor another small target's circle). Returns
// {failures, exempt}: one line each, for the test to print (tests/browser/test_header.py).
() => {
  const SELECTOR = "a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [tabindex]:not([tabindex='-1'])";
  const visible = (el) => {
    if (el.closest("[aria-hidden=true], .visually-hidden, .hp-input")) return false;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || style.display === "none") return false;
    const r = el.getBoundingClientRect();
    return r.width > 1 && r.height > 1;
  };
  const label = (el) =>
    `${el.tagName.toLowerCase()}${el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : ""} “${(el.innerText || el.value || el.getAttribute("aria-label") || "").trim().replace(/\s+/g, " ").slice(0, 40)}”`;
  // A link in running text: displayed inline, with words of the same line box around it
  // that belong to no other target (WCAG's "inline" exception: the line of text sets
  // its size). A card whose only words are links and badges is no sentence.
  const blockOf = (node) => {
    let block = node.parentElement;
    while (block && getComputedStyle(block).display === "inline") block = block.parentElement;
    return block;
  };
  const inSentence = (el) => {
    // Only plain links (no class) count as prose; styled controls never do.
    if (el.tagName !== "A" || el.classList.length || getComputedStyle(el).display !== "inline") return false;
    const block = blockOf(el);
    if (!block) return false;
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    let words = 0;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (el.contains(node) || node.parentElement.closest(SELECTOR) || blockOf(node) !== block) continue;
      if (node.parentElement.closest(".visually-hidden")) continue;
      words += node.textContent.trim().length;
    }
    return words > 3;
  };
  const targets = [...document.querySelectorAll(SELECTOR)].filter(visible);
  // A target that is a whole another target's content (a link wrapping a button) counts once.
  const rects = targets.map((el) => el.getBoundingClientRect());
  const small = [];
  const failures = [];
  const exempt = [];
  targets.forEach((el, i) => {
    const r = rects[i];
    if (r.width >= 23.99 && r.height >= 23.99) return;
    if (inSentence(el)) {
      exempt.push(`inline in text: ${label(el)} ${r.width.toFixed(0)}x${r.height.toFixed(0)}`);
      return;
    }
    small.push(i);
  });
  const circleHitsRect = (cx, cy, rad, r) => {
    const dx = Math.max(r.left - cx, 0, cx - r.right);
    const dy = Math.max(r.top - cy, 0, cy - r.bottom);
    return dx * dx + dy * dy < rad * rad - 0.01;
  };
  for (const i of small) {
    const r = rects[i];
    const cx = r.left + r.width / 2, cy = r.top + r.height / 2;
    let clash = null;
    targets.forEach((other, j) => {
      if (clash || j === i || other.contains(targets[i]) || targets[i].contains(other)) return;
      const o = rects[j];
      if (small.includes(j)) {
        const ox = o.left + o.width / 2, oy = o.top + o.height / 2;
        if (Math.hypot(ox - cx, oy - cy) < 24 - 0.01) clash = other;
      } else if (circleHitsRect(cx, cy, 12, o)) {
        clash = other;
      }
    });
    const size = `${r.width.toFixed(0)}x${r.height.toFixed(0)}`;
    if (clash) failures.push(`${label(targets[i])} ${size}, too close to ${label(clash)}`);
    else exempt.push(`spaced: ${label(targets[i])} ${size}`);
  }
  return { failures, exempt };
}
