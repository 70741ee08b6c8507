// c2m widget loader: the one script a shop includes.
//
//   <script type="module" src="https://your-c2m-host/widget/c2m.js"></script>
//   <c2m-configurator product="weekender-bag" key="pk_…" locale="de" quantity="2"></c2m-configurator>
//
// Pages that build their DOM by script can call
// `C2M.mount(element, { product, key, locale, quantity })`. Changing the `quantity`
// attribute re-quotes in place; changing `product`, `key` or `locale` mounts again.
// The widget tells the page what the shopper does with `c2m:change` and
// `c2m:add-to-cart` events (bubbling, composed) whose `detail` is the configuration.
// Nothing in here may break the host page: every failure is shown inside the element and
// logged to the console; no promise it returns rejects.

const TAG = 'c2m-configurator';

// The c2m server root this script was loaded from (`…/widget/c2m.js` → `…`).
const apiBase = new URL('../', import.meta.url).href.replace(/\/$/, '');

let ready = null;
let initErrorLogged = false;

// Loads the wasm-bindgen glue and instantiates the wasm once, on first use; resolves to
// the glue's exports. A dynamic import so that a missing or broken bundle is an error
// shown in each element rather than a module that silently fails to evaluate.
function load() {
  if (ready === null) {
    ready = import('./c2m_widget.js').then(async (glue) => {
      await glue.default({ module_or_path: new URL('c2m_widget_bg.wasm', import.meta.url) });
      return glue;
    });
  }
  return ready;
}

// The element's open shadow root, attached if needed; null if the element refuses one.
function shadowOf(element) {
  try {
    return element.shadowRoot || element.attachShadow({ mode: 'open' });
  } catch (_) {
    return null;
  }
}

// One line of text (never HTML) in the element's shadow root.
function showText(element, text, isError) {
  const root = shadowOf(element);
  if (!root) return;
  const line = document.createElement('p');
  line.className = isError ? 'c2m-status c2m-error' : 'c2m-status';
  line.setAttribute('role', isError ? 'alert' : 'status');
  line.textContent = text;
  if (adoptStatusStyles(root)) {
    root.replaceChildren(line);
  } else {
    const style = document.createElement('style');
    style.textContent = STATUS_CSS;
    root.replaceChildren(style, line);
  }
}

const STATUS_CSS =
  ':host{display:block}:host([hidden]){display:none}' +
  '.c2m-status{margin:0;padding:.5em 0;font:inherit;color:var(--c2m-muted,#6e6e73)}' +
  '.c2m-error{color:var(--c2m-error,#b3261e)}';
let statusSheet = null;

// Styles the status line through a constructed stylesheet, which a host page's CSP
// cannot block (a <style> element needs 'unsafe-inline' in its style-src). Browsers
// without constructable stylesheets (before Safari 16.4) get the <style> instead.
function adoptStatusStyles(root) {
  if (!('adoptedStyleSheets' in root)) return false;
  try {
    if (!statusSheet) {
      statusSheet = new CSSStyleSheet();
      statusSheet.replaceSync(STATUS_CSS);
    }
    root.adoptedStyleSheets = [statusSheet];
    return true;
  } catch (_) {
    return false;
  }
}

// The mounted configurator of each element (for quantity changes).
const mountedOf = new WeakMap();

async function start(element, options) {
  if (!(element instanceof HTMLElement)) {
    console.error('c2m: mount needs an HTML element, got', element);
    return;
  }
  // Show something at once: the wasm is the slowest part of the first load.
  if (!element.shadowRoot || !element.shadowRoot.hasChildNodes()) {
    showText(element, 'Loading options…', false);
  }
  let glue;
  try {
    glue = await load();
  } catch (error) {
    if (!initErrorLogged) {
      initErrorLogged = true;
      console.error('c2m: the widget could not be loaded', error);
    }
    showText(element, 'This configurator could not be loaded: the widget failed to start', true);
    return;
  }
  try {
    const { product, key, apiBase: base, locale, quantity } = options();
    const previous = mountedOf.get(element);
    const mounted = glue.mount(element, {
      product: product || '',
      key: key || '',
      apiBase: base || apiBase,
      locale: locale || undefined,
      quantity: quantity ?? undefined,
    });
    mountedOf.delete(element);
    if (previous) previous.free();
    if (mounted) mountedOf.set(element, mounted);
  } catch (error) {
    console.error('c2m: mounting failed', error);
    showText(element, 'This configurator could not be loaded: the widget failed to start', true);
  }
}

if (!customElements.get(TAG)) {
  const mounted = new WeakSet();
  customElements.define(
    TAG,
    class C2MConfigurator extends HTMLElement {
      static get observedAttributes() {
        return ['product', 'key', 'locale', 'quantity'];
      }

      connectedCallback() {
        if (mounted.has(this)) return;
        mounted.add(this);
        this.#start();
      }

      attributeChangedCallback(name, before, after) {
        if (!mounted.has(this) || before === after) return;
        const current = mountedOf.get(this);
        if (name === 'quantity' && current) {
          current.set_quantity(after ?? '1');
        } else {
          this.#start();
        }
      }

      // Attributes are read once the wasm is ready, so a script that sets them right
      // after inserting the element is still in time.
      #start() {
        start(this, () => ({
          product: this.getAttribute('product'),
          key: this.getAttribute('key'),
          // The element's own `locale`, else the language of the page around it.
          locale: this.getAttribute('locale') || pageLanguage(this),
          quantity: this.getAttribute('quantity'),
        }));
      }
    },
  );
}

/** The `lang` of the nearest element around `element` that has one (the page's `<html lang>`). */
function pageLanguage(element) {
  const holder = element.closest('[lang]');
  return holder ? holder.getAttribute('lang') : null;
}

if (!window.C2M) {
  window.C2M = Object.freeze({
    /** Mounts a configurator into `element`; resolves when it has started loading. */
    mount(element, options = {}) {
      const { product, key, apiBase: base, locale, quantity } = options || {};
      return start(element, () => ({
        product,
        key,
        apiBase: base,
        locale: locale || pageLanguage(element),
        quantity,
      }));
    },
  });
}
