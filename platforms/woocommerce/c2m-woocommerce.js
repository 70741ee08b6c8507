// c2m on WooCommerce: the configurator sits inside the product's add-to-cart form
// (form.cart). Each answer for a new selection (c2m:change) fills the form's hidden
// fields, so the theme's own "Add to cart" button posts them; the configurator's own
// "Add to cart" (c2m:add-to-cart) fills them and submits the form. A configuration
// that cannot be made disables the form's button until another is chosen.
(function () {
  'use strict';

  function fill(widget, detail) {
    var form = widget.closest('form.cart');
    if (!form) return null;
    var set = function (name, value) {
      var field = form.querySelector('input[name="' + name + '"]');
      if (field) field.value = value == null ? '' : value;
    };
    set('c2m_product', detail.product);
    set('c2m_selection', JSON.stringify(detail.selection));
    set('c2m_quote_token', detail.quote_token);
    set('c2m_arrives_by', detail.delivery ? detail.delivery.promised : '');
    var quantity = form.querySelector('input[name="quantity"]');
    if (quantity) quantity.value = String(detail.quantity);
    var button = form.querySelector('button[name="add-to-cart"], button[type="submit"]');
    if (button) button.disabled = !detail.available;
    return form;
  }

  function widgetOf(event) {
    var target = event.target;
    return target && target.localName === 'c2m-configurator' ? target : null;
  }

  document.addEventListener('c2m:change', function (event) {
    var widget = widgetOf(event);
    if (widget) fill(widget, event.detail);
  });

  document.addEventListener('c2m:add-to-cart', function (event) {
    var widget = widgetOf(event);
    if (!widget || !event.detail.available) return;
    var form = fill(widget, event.detail);
    if (!form) return;
    // Through the form's own button, so WooCommerce's handlers (and its Ajax
    // add-to-cart, where the theme has it) see an ordinary submission.
    var button = form.querySelector('button[name="add-to-cart"], button[type="submit"]');
    if (form.requestSubmit) form.requestSubmit(button || undefined);
    else form.submit();
  });
})();
