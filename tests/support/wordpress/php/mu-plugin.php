<?php
/*
 * Plugin Name: Reader test site
 * Description: Keeps a test WordPress to itself: uploads in the test's folder, no mail, no
 * outside requests; and, when the server's environment asks, a locked REST API or a theme
 * without post navigation.
 */

add_filter('upload_dir', function (array $dirs): array {
    $base = getenv('READER_WP_UPLOADS');
    $dirs['basedir'] = $base;
    $dirs['baseurl'] = home_url('/wp-content/uploads');
    $dirs['path'] = $base . $dirs['subdir'];
    $dirs['url'] = $dirs['baseurl'] . $dirs['subdir'];
    return $dirs;
});

// Nothing leaves the machine: no update checks, no pings, no oEmbed discovery.
add_filter('pre_http_request', function () {
    return new WP_Error('reader_test', 'Outside requests are off on the test site.');
}, 1);

if (!function_exists('wp_mail')) {
    function wp_mail($to, $subject, $message, $headers = '', $attachments = array()) {
        return true;
    }
}

if (getenv('READER_WP_REST') === 'locked') {
    // What security plugins do: every REST request needs a login.
    add_filter('rest_authentication_errors', function ($result) {
        return new WP_Error('rest_forbidden', 'The REST API is locked on this site.',
            array('status' => 401));
    });
}
if (getenv('READER_WP_REST') === 'missing') {
    remove_action('wp_head', 'rest_output_link_wp_head', 10);
    remove_action('template_redirect', 'rest_output_link_header', 11);
}

if (getenv('READER_WP_NAV') === 'hidden') {
    // A theme without post navigation, classic or block.
    add_filter('navigation_markup_template', function ($template, $class) {
        return $class === 'post-navigation' ? '' : $template;
    }, 10, 2);
    add_filter('render_block_core/post-navigation-link', '__return_empty_string');
}
if (getenv('READER_WP_NAV') === 'blocks') {
    // Twenty Twenty-Three (6.1) has no post navigation; later block themes put
    // post-navigation-link blocks under the post. This adds them the same way.
    add_filter('render_block_core/template-part', function ($html, $block) {
        if (($block['attrs']['slug'] ?? '') !== 'post-meta' || !is_singular('post')) {
            return $html;
        }
        return $html . do_blocks(
            '<!-- wp:group {"tagName":"nav","className":"post-navigation"} -->'
            . '<nav class="wp-block-group post-navigation">'
            . '<!-- wp:post-navigation-link {"type":"previous","showTitle":true} /-->'
            . '<!-- wp:post-navigation-link {"showTitle":true} /-->'
            . '</nav><!-- /wp:group -->'
        );
    }, 10, 2);
}
