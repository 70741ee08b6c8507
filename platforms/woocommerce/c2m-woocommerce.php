<?php
/**
 * Plugin Name: c2m configurator for WooCommerce
 * Description: Shows the c2m configurator on product pages and keeps what the shopper configured (selection, promised date, signed quote token) on the cart item and the order line.
 * Version: 0.1.0
 * Requires Plugins: woocommerce
 *
 * Settings are constants in wp-config.php:
 *   define('C2M_ORIGIN', 'https://c2m.example.com');   // where c2m answers
 *   define('C2M_PUBLISHABLE_KEY', 'pk_…');              // from c2m's Settings page
 * A product's c2m slug is its WooCommerce slug unless it has a `c2m_product` custom field.
 * See docs/platforms/woocommerce.md.
 */

if (!defined('ABSPATH')) {
    exit;
}

/** The configurator above the product's add-to-cart form, and the fields the script fills. */
add_action('woocommerce_before_add_to_cart_button', function () {
    global $product;
    if (!$product || !defined('C2M_ORIGIN') || !defined('C2M_PUBLISHABLE_KEY')) {
        return;
    }
    $slug = get_post_meta($product->get_id(), 'c2m_product', true) ?: $product->get_slug();
    printf(
        '<c2m-configurator product="%s" key="%s" locale="%s"></c2m-configurator>',
        esc_attr($slug),
        esc_attr(C2M_PUBLISHABLE_KEY),
        esc_attr(substr(get_locale(), 0, 2))
    );
    foreach (['c2m_product', 'c2m_selection', 'c2m_quote_token', 'c2m_arrives_by'] as $field) {
        printf('<input type="hidden" name="%s" value="">', esc_attr($field));
    }
});

/** The widget's module and the form wiring, on product pages only. */
add_action('wp_enqueue_scripts', function () {
    if (!is_product() || !defined('C2M_ORIGIN')) {
        return;
    }
    wp_enqueue_script_module('c2m-widget', rtrim(C2M_ORIGIN, '/') . '/widget/c2m.js');
    wp_enqueue_script('c2m-woocommerce', plugins_url('c2m-woocommerce.js', __FILE__), [], '0.1.0', true);
});

/** Keeps the fields on the cart item (so two configurations are two cart lines). */
add_filter('woocommerce_add_cart_item_data', function ($data) {
    foreach (['c2m_product', 'c2m_selection', 'c2m_quote_token', 'c2m_arrives_by'] as $field) {
        if (!empty($_POST[$field])) {
            $data[$field] = sanitize_text_field(wp_unslash($_POST[$field]));
        }
    }
    return $data;
});

/** Shows the configuration and the promised date in the cart and at checkout. */
add_filter('woocommerce_get_item_data', function ($shown, $item) {
    if (!empty($item['c2m_selection'])) {
        $selection = json_decode($item['c2m_selection'], true) ?: [];
        $parts = [];
        foreach ($selection as $group => $values) {
            $parts[] = $group . ': ' . implode(', ', (array) $values);
        }
        $shown[] = ['key' => __('Configuration'), 'value' => esc_html(implode(' · ', $parts))];
    }
    if (!empty($item['c2m_arrives_by'])) {
        $shown[] = ['key' => __('Arrives by'), 'value' => esc_html($item['c2m_arrives_by'])];
    }
    return $shown;
}, 10, 2);

/** Keeps them on the order line; the underscore hides the token and the JSON from the customer. */
add_action('woocommerce_checkout_create_order_line_item', function ($line, $key, $values) {
    foreach (['c2m_product', 'c2m_selection', 'c2m_quote_token'] as $field) {
        if (!empty($values[$field])) {
            $line->add_meta_data('_' . $field, $values[$field]);
        }
    }
    if (!empty($values['c2m_arrives_by'])) {
        $line->add_meta_data(__('Arrives by'), $values['c2m_arrives_by']);
    }
}, 10, 3);
