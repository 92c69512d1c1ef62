/**
 * Layout checks for the layout spec: the page never wider than the window,
 * every labelled control reachable inside the window (not cut off by a
 * container that cannot scroll, not covered by another element), and the
 * WCAG 2 A/AA rules of axe-core (contrast among them) on what is on screen.
 */
import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'

/** What a physician can click, type into or name; each must be reachable at every window size. */
export const CONTROL_SELECTOR = 'button, input, select, textarea, a[href], summary, [role=button], [role=tab], [aria-label]'

/** Containers allowed to scroll sideways: the catalog table, whose columns keep a minimum width. */
const SIDEWAYS_ALLOWED = '[data-testid="catalog-table"], .table-scroller'

export interface ControlProblem {
  control: string
  problem: string
}

export interface LayoutReport {
  scrollWidth: number
  innerWidth: number
  controls: number
  problems: ControlProblem[]
}

/**
 * Scrolls each visible control into view and checks it lies inside the window
 * horizontally, inside every clipping ancestor, and is the element hit at its
 * centre. A container that hides its overflow yet had to scroll to show the
 * control is reported: the user could not have scrolled it.
 */
export async function measureLayout(page: Page): Promise<LayoutReport> {
  // Serialised as a string: the test's own TypeScript lib has no DOM.
  return page.evaluate(`(() => {
    const selector = ${JSON.stringify(CONTROL_SELECTOR)};
    const describe = (el) => {
      const id = el.getAttribute('data-testid');
      const name = el.getAttribute('aria-label') || el.getAttribute('title') || (el.textContent || '').trim().slice(0, 40);
      return el.tagName.toLowerCase() + (id ? '[data-testid=' + id + ']' : '') + (name ? ' "' + name + '"' : '');
    };
    const visible = (el) => {
      const r = el.getBoundingClientRect();
      if (r.width < 2 || r.height < 2) return false; // visually hidden (a radio inside its label) or collapsed
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || style.display === 'none') return false;
      return el.checkVisibility ? el.checkVisibility({ opacityProperty: false, visibilityProperty: true }) : true;
    };
    const clippers = (el) => {
      const list = [];
      for (let a = el.parentElement; a && a !== document.documentElement; a = a.parentElement) {
        const o = getComputedStyle(a).overflowX;
        if (o !== 'visible') list.push({ el: a, canScroll: o === 'auto' || o === 'scroll' });
      }
      return list;
    };
    // Scrolled back afterwards, so a screenshot shows the view as a user finds it.
    const scrolled = Array.from(document.querySelectorAll('*')).filter((el) => el.scrollTop || el.scrollLeft).map((el) => [el, el.scrollTop, el.scrollLeft]);
    const pageScroll = [scrollX, scrollY];
    const problems = [];
    const seen = new Set();
    const controls = Array.from(document.querySelectorAll(selector)).filter((el) => {
      if (seen.has(el)) return false;
      seen.add(el);
      // A control inside a <dialog> that is not open, or an element with aria-hidden, is not on screen.
      if (el.closest('[aria-hidden="true"]')) return false;
      return visible(el);
    });
    for (const el of controls) {
      const name = describe(el);
      el.scrollIntoView({ block: 'nearest', inline: 'nearest' });
      const r = el.getBoundingClientRect();
      if (r.left < -0.5 || r.right > innerWidth + 0.5)
        problems.push({ control: name, problem: 'outside the window: ' + Math.round(r.left) + '..' + Math.round(r.right) + ' of ' + innerWidth });
      for (const c of clippers(el)) {
        const cr = c.el.getBoundingClientRect();
        if (!c.canScroll && c.el.scrollLeft > 0)
          problems.push({ control: name, problem: 'inside a container that hides its overflow and had to scroll (' + describe(c.el) + ')' });
        else if (r.left < cr.left - 0.5 || r.right > cr.right + 0.5)
          problems.push({ control: name, problem: 'cut off by ' + describe(c.el) });
      }
      // Covered: the element at the centre of the control's visible part must be the control, inside it, or its label.
      const shown = { left: Math.max(r.left, 0), right: Math.min(r.right, innerWidth), top: Math.max(r.top, 0), bottom: Math.min(r.bottom, innerHeight) };
      for (const c of clippers(el)) {
        const cr = c.el.getBoundingClientRect();
        shown.left = Math.max(shown.left, cr.left); shown.right = Math.min(shown.right, cr.right);
        shown.top = Math.max(shown.top, cr.top); shown.bottom = Math.min(shown.bottom, cr.bottom);
      }
      const x = (shown.left + shown.right) / 2;
      const y = (shown.top + shown.bottom) / 2;
      if (shown.right - shown.left >= 2 && shown.bottom - shown.top >= 2) {
        const hit = document.elementFromPoint(x, y);
        const label = el.closest('label');
        const ok = hit !== null && (el.contains(hit) || hit.contains(el) && (hit === label || hit.tagName === 'LABEL' || getComputedStyle(el).pointerEvents === 'none'));
        if (!ok) problems.push({ control: name, problem: 'covered by ' + (hit ? describe(hit) : 'nothing') });
      }
    }
    // A panel that scrolls sideways hides part of its text; only the catalog table may (its columns have minimum widths).
    for (const el of document.querySelectorAll('body *')) {
      const o = getComputedStyle(el).overflowX;
      if ((o === 'auto' || o === 'scroll') && el.scrollWidth > el.clientWidth + 1 && !el.matches(${JSON.stringify(SIDEWAYS_ALLOWED)}) && visible(el))
      {
        // Named with the element that sticks out furthest, so the report says what to fix.
        let widest = null;
        for (const d of el.querySelectorAll('*')) if (!widest || d.getBoundingClientRect().right > widest.getBoundingClientRect().right) widest = d;
        problems.push({ control: describe(el), problem: 'scrolls sideways: ' + el.scrollWidth + ' px of content in ' + el.clientWidth + (widest ? ', widest ' + describe(widest) : '') });
      }
    }
    for (const el of document.querySelectorAll('*')) if (el.scrollTop || el.scrollLeft) el.scrollTo(0, 0);
    for (const [el, top, left] of scrolled) el.scrollTo(left, top);
    window.scrollTo(pageScroll[0], pageScroll[1]);
    return { scrollWidth: document.scrollingElement.scrollWidth, innerWidth, controls: controls.length, problems };
  })()`)
}

export interface AxeProblem {
  rule: string
  impact: string | null
  targets: string[]
  summary: string
}

/** The WCAG 2 A and AA rules of axe-core (colour contrast among them) over the page as it is. */
export async function axeProblems(page: Page): Promise<AxeProblem[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze()
  return results.violations.map((v) => ({
    rule: v.id,
    impact: v.impact ?? null,
    targets: v.nodes.slice(0, 6).map((n) => n.target.join(' ')),
    summary: (v.nodes[0]?.failureSummary ?? v.help).replaceAll('\n', ' ').slice(0, 300)
  }))
}
