// c2m on Shopify: when the shopper presses "Add to cart" in a c2m configurator placed
// by the app block, the block's product variant goes into the theme's cart through the
// Ajax Cart API (POST /cart/add.js) with what was configured as line-item properties:
//   "Configuration"      the chosen values, for the shopper and the merchant to read;
//   "Arrives by"         the promised date the shopper saw;
//   "_c2m_product"       the c2m product slug;
//   "_c2m_selection"     the selection as JSON (value codes per group code);
//   "_c2m_quote_token"   the signed quote token, which the shop's server sends with
//                        the order to c2m (POST /api/v1/orders) so the promise the
//                        shopper saw is what is booked.
// Properties starting with "_" are hidden from the shopper at checkout. Then it opens
// the cart, or stays and says so (the block's "After adding to the cart" setting).
// Listeners hear c2m:cart-added (detail: the cart's answer) or c2m:cart-error.
(function () {
  'use strict';

  var root = (window.Shopify && window.Shopify.routes && window.Shopify.routes.root) || '/';

  // What the block says, in the storefront's language (the widget's `locale`).
  var WORDS = {
    en: {
      adding: 'Adding to the cart…',
      added: 'Added to the cart.',
      refused: 'The cart refused this item.',
      unreachable: 'The cart could not be reached; try again.'
    },
    de: {
      adding: 'Wird in den Warenkorb gelegt …',
      added: 'In den Warenkorb gelegt.',
      refused: 'Der Warenkorb hat diesen Artikel abgelehnt.',
      unreachable: 'Der Warenkorb ist nicht erreichbar; bitte erneut versuchen.'
    },
    fr: {
      adding: 'Ajout au panier…',
      added: 'Ajouté au panier.',
      refused: 'Le panier a refusé cet article.',
      unreachable: 'Le panier est injoignable ; réessayez.'
    }
  };

  function words(widget) {
    var language = (widget.getAttribute('locale') || document.documentElement.lang || 'en')
      .split(/[-_]/)[0]
      .toLowerCase();
    return WORDS[language] || WORDS.en;
  }

  function describe(selection) {
    return Object.keys(selection)
      .map(function (group) { return group + ': ' + selection[group].join(', '); })
      .join(' · ');
  }

  function properties(detail) {
    var props = { Configuration: describe(detail.selection) };
    if (detail.delivery) props['Arrives by'] = detail.delivery.promised;
    props._c2m_product = detail.product;
    props._c2m_selection = JSON.stringify(detail.selection);
    if (detail.quote_token) props._c2m_quote_token = detail.quote_token;
    return props;
  }

  function tell(widget, name, detail) {
    widget.dispatchEvent(new CustomEvent(name, { bubbles: true, detail: detail }));
  }

  function add(widget, detail) {
    var status = widget.parentElement && widget.parentElement.querySelector('[data-c2m-cart-status]');
    var say = function (text) { if (status) status.textContent = text; };
    var w = words(widget);
    var variant = Number(widget.dataset.variantId);
    if (!detail.available || !variant) return;
    say(w.adding);
    var body = { items: [{ id: variant, quantity: detail.quantity, properties: properties(detail) }] };
    fetch(root + 'cart/add.js', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body)
    })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (answer) {
          if (!response.ok) {
            // Shopify says why (sold out, quantity limits) in `description`.
            say(answer.description || answer.message || w.refused);
            tell(widget, 'c2m:cart-error', answer);
            return;
          }
          say(w.added);
          tell(widget, 'c2m:cart-added', answer);
          if (widget.dataset.afterAdd === 'cart') window.location.assign(root + 'cart');
        });
      })
      .catch(function () {
        say(w.unreachable);
        tell(widget, 'c2m:cart-error', null);
      });
  }

  document.addEventListener('c2m:add-to-cart', function (event) {
    // The widget's event leaves its shadow root with the element as its target.
    var widget = event.target;
    if (!widget || widget.localName !== 'c2m-configurator' || !widget.dataset.variantId) return;
    add(widget, event.detail);
  });
})();
