<?php
// Runs PHP code (read from stdin) inside one test site, as the site's own code would run:
// php run.php CONFIG PREFIX HOME < code.php. The code's `return` value is printed as JSON.

[, $config, $prefix, $home] = $argv;
$_SERVER['WORDPRESS_CONFIG'] = $config;
putenv('READER_WP_PREFIX=' . $prefix);
$parts = parse_url($home);
$_SERVER['HTTP_HOST'] = $parts['host'] . (isset($parts['port']) ? ':' . $parts['port'] : '');
$_SERVER['SERVER_NAME'] = $parts['host'];
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
if (getenv('READER_WP_INSTALLING')) {
    define('WP_INSTALLING', true);
}
require '/usr/share/wordpress/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/image.php';
require_once ABSPATH . 'wp-admin/includes/post.php';
// The test is the site's administrator: no kses filtering of what it writes.
kses_remove_filters();
$reader_result = eval('?>' . stream_get_contents(STDIN));
echo "\n--reader-result--\n", json_encode($reader_result), "\n";
