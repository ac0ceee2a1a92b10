<?php
// Router for `php -S 127.0.0.1:PORT router.php`, in the role a web server's rewrite rules play:
// pretty permalinks go to index.php, /wp-content/ is served from Debian's content folder (and
// uploads from the test's own folder), other real files from /usr/share/wordpress.
// The server's environment says which site this is (see harness.py).

$_SERVER['WORDPRESS_CONFIG'] = getenv('READER_WP_CONFIG');

// php -S logs only the requests it answers itself; tests count every one, so we log them all.
register_shutdown_function(function () {
    if (!getenv('READER_WP_REQUESTS')) {
        return;
    }
    $line = sprintf("%d %s %s\n", http_response_code() ?: 200, $_SERVER['REQUEST_METHOD'],
        $_SERVER['REQUEST_URI']);
    file_put_contents(getenv('READER_WP_REQUESTS'), $line, FILE_APPEND | LOCK_EX);
});
$root = '/usr/share/wordpress';
$path = rawurldecode(parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH) ?? '/');

// A site "without a REST API": nothing answers at /wp-json/ or ?rest_route=.
if (getenv('READER_WP_REST') === 'missing'
    && (str_starts_with($path, '/wp-json') || isset($_GET['rest_route']))) {
    http_response_code(404);
    header('Content-Type: text/html; charset=UTF-8');
    echo "<!doctype html><title>Not found</title><h1>Not found</h1>";
    return true;
}

function reader_serve_file(string $file, array $allowed): bool {
    $real = realpath($file);
    $inside = false;
    foreach ($allowed as $base) {
        if ($real !== false && str_starts_with($real, $base . '/')) {
            $inside = true;
        }
    }
    if (!$inside || !is_file($real) || str_ends_with($real, '.php')) {
        http_response_code(404);
        echo 'Not found';
        return true;
    }
    $types = ['png' => 'image/png', 'jpg' => 'image/jpeg', 'jpeg' => 'image/jpeg',
        'gif' => 'image/gif', 'webp' => 'image/webp', 'svg' => 'image/svg+xml',
        'css' => 'text/css', 'js' => 'application/javascript', 'woff2' => 'font/woff2',
        'woff' => 'font/woff', 'json' => 'application/json'];
    $ext = strtolower(pathinfo($real, PATHINFO_EXTENSION));
    header('Content-Type: ' . ($types[$ext] ?? 'application/octet-stream'));
    header('Content-Length: ' . filesize($real));
    readfile($real);
    return true;
}

if (str_starts_with($path, '/wp-content/uploads/')) {
    $uploads = getenv('READER_WP_UPLOADS');
    return reader_serve_file($uploads . substr($path, strlen('/wp-content/uploads')), [$uploads]);
}
if (str_starts_with($path, '/wp-content/')) {
    return reader_serve_file(
        '/var/lib/wordpress' . $path,
        ['/var/lib/wordpress/wp-content', '/usr/share/wordpress/wp-content']
    );
}

$file = $root . $path;
if ($path !== '/' && is_file($file)) {
    if (!str_ends_with($file, '.php')) {
        return false; // a real file: the built-in server sends it
    }
    $_SERVER['SCRIPT_NAME'] = $path;
    $_SERVER['SCRIPT_FILENAME'] = $file;
    $_SERVER['PHP_SELF'] = $path;
    chdir(dirname($file));
    require $file;
    return true;
}
if (is_dir($file) && is_file($file . '/index.php') && $path !== '/') {
    $_SERVER['SCRIPT_NAME'] = rtrim($path, '/') . '/index.php';
    $_SERVER['SCRIPT_FILENAME'] = $file . '/index.php';
    chdir($file);
    require $file . '/index.php';
    return true;
}
$_SERVER['SCRIPT_NAME'] = '/index.php';
$_SERVER['SCRIPT_FILENAME'] = $root . '/index.php';
$_SERVER['PHP_SELF'] = '/index.php';
chdir($root);
require $root . '/index.php';
return true;
