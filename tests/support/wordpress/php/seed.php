<?php
// Installs WordPress and files the sample site's posts into it, through WordPress's own API:
// run by run.php with READER_WP_INSTALLING=1 and READER_WP_SEED naming the JSON that
// seed_data.py wrote. Returns the ids WordPress gave the terms, authors and pages.

$data = json_decode(file_get_contents(getenv('READER_WP_SEED')), true, 512, JSON_THROW_ON_ERROR);

wp_install($data['title'], 'admin', 'admin@example.invalid', true, '', wp_generate_password(24));
update_option('siteurl', $data['home']);
update_option('home', $data['home']);
update_option('blogdescription', $data['tagline']);
update_option('timezone_string', $data['timezone']);
update_option('gmt_offset', '');
update_option('date_format', 'F j, Y');
update_option('posts_per_page', 10);
update_option('posts_per_rss', 10);
update_option('rss_use_excerpt', 0);
update_option('default_comment_status', 'closed');
update_option('default_ping_status', 'closed');
update_option('uploads_use_yearmonth_folders', 1);
switch_theme('twentytwentyone');

global $wp_rewrite;
$wp_rewrite->set_permalink_structure($data['permalinks']);
flush_rewrite_rules(false);

// The install's own "Hello world!" post and "Sample Page" are not the sample site's.
foreach (get_posts(['post_type' => ['post', 'page'], 'post_status' => 'any', 'numberposts' => -1]) as $old) {
    wp_delete_post($old->ID, true);
}

$ids = ['terms' => [], 'authors' => [], 'pages' => []];
foreach ($data['terms'] as $term) {
    $found = get_term_by('slug', $term['slug'], $term['taxonomy']);
    if ($found) {
        wp_update_term($found->term_id, $term['taxonomy'], ['name' => $term['name'], 'description' => $term['description']]);
        $ids['terms'][$term['taxonomy'] . ':' . $term['slug']] = $found->term_id;
        continue;
    }
    $made = wp_insert_term($term['name'], $term['taxonomy'], ['slug' => $term['slug'], 'description' => $term['description']]);
    if (is_wp_error($made)) {
        throw new RuntimeException($term['slug'] . ': ' . $made->get_error_message());
    }
    $ids['terms'][$term['taxonomy'] . ':' . $term['slug']] = $made['term_id'];
}

foreach ($data['authors'] as $author) {
    $user = wp_insert_user([
        'user_login' => $author['slug'],
        'user_nicename' => $author['slug'],
        'user_pass' => wp_generate_password(24),
        'user_email' => $author['slug'] . '@example.invalid',
        'display_name' => $author['name'],
        'nickname' => $author['name'],
        'description' => $author['description'],
        'role' => 'author',
    ]);
    if (is_wp_error($user)) {
        throw new RuntimeException($author['slug'] . ': ' . $user->get_error_message());
    }
    $ids['authors'][$author['slug']] = $user;
}

function reader_local(string $gmt): string {
    return get_date_from_gmt($gmt, 'Y-m-d H:i:s');
}

function reader_picture(string $file, int $width, int $height, int $seed): void {
    // A picture worth its bytes: bands of colour and a few discs, different for every post.
    wp_mkdir_p(dirname($file));
    $image = imagecreatetruecolor($width, $height);
    mt_srand($seed);
    for ($band = 0; $band < 6; $band++) {
        $colour = imagecolorallocate($image, mt_rand(40, 220), mt_rand(40, 220), mt_rand(40, 220));
        imagefilledrectangle($image, 0, intdiv($band * $height, 6), $width, intdiv(($band + 1) * $height, 6), $colour);
    }
    for ($disc = 0; $disc < 5; $disc++) {
        $colour = imagecolorallocate($image, mt_rand(0, 255), mt_rand(0, 255), mt_rand(0, 255));
        $size = mt_rand(intdiv($height, 8), intdiv($height, 3));
        imagefilledellipse($image, mt_rand(0, $width), mt_rand(0, $height), $size, $size, $colour);
    }
    imagepng($image, $file, 6);
    imagedestroy($image);
}

foreach ($data['posts'] as $post) {
    $postarr = [
        'import_id' => $post['id'],
        'post_type' => $post['type'],
        'post_status' => 'publish',
        'post_title' => $post['title'],
        'post_name' => $post['slug'],
        'post_content' => $post['content'],
        'post_excerpt' => $post['excerpt'],
        'post_author' => $ids['authors'][$post['author']] ?? 1,
        'post_date' => reader_local($post['date_gmt']),
        'post_date_gmt' => $post['date_gmt'],
        'comment_status' => 'closed',
        'ping_status' => 'closed',
    ];
    if ($post['type'] === 'post') {
        $postarr['post_category'] = array_map(fn ($slug) => $ids['terms']['category:' . $slug], $post['categories']);
    }
    $id = wp_insert_post($postarr, true);
    if (is_wp_error($id) || $id !== $post['id']) {
        throw new RuntimeException($post['slug'] . ': ' . (is_wp_error($id) ? $id->get_error_message() : "got id $id"));
    }
    if ($post['tags']) {
        wp_set_object_terms($id, array_map(fn ($slug) => $ids['terms']['post_tag:' . $slug], $post['tags']), 'post_tag');
    }
    if ($post['format'] !== 'standard') {
        set_post_format($id, $post['format']);
    }
    if ($post['image']) {
        $image = $post['image'];
        $uploads = wp_upload_dir(null, false);
        $file = $uploads['basedir'] . '/' . $image['file'];
        reader_picture($file, $image['width'], $image['height'], $id);
        $attachment = wp_insert_attachment([
            'import_id' => $image['id'],
            'post_mime_type' => 'image/png',
            'post_title' => $image['alt'],
            'post_excerpt' => $image['caption'],
            'post_status' => 'inherit',
            'post_author' => $postarr['post_author'],
            'post_date' => $postarr['post_date'],
            'post_date_gmt' => $postarr['post_date_gmt'],
            'guid' => $uploads['baseurl'] . '/' . $image['file'],
        ], $file, $id, true);
        if (is_wp_error($attachment)) {
            throw new RuntimeException($image['file'] . ': ' . $attachment->get_error_message());
        }
        wp_update_attachment_metadata($attachment, wp_generate_attachment_metadata($attachment, $file));
        update_post_meta($attachment, '_wp_attachment_image_alt', $image['alt']);
        set_post_thumbnail($id, $attachment);
    }
    // The body's figures are files the page links, not attachments: made so they answer.
    foreach ($post['figures'] ?? [] as $index => $figure) {
        $uploads = wp_upload_dir(null, false);
        reader_picture($uploads['basedir'] . '/' . $figure, 1024, 683, $id * 100 + $index + 1);
    }
    // wp_insert_post stamps "modified" with the time of the insert; the site's is older.
    global $wpdb;
    // And its guid is the ?p=ID address it had as a draft, as on a site written in the editor.
    $wpdb->update($wpdb->posts, [
        'post_modified' => reader_local($post['modified_gmt']),
        'post_modified_gmt' => $post['modified_gmt'],
        'guid' => $data['home'] . '/?' . ($post['type'] === 'page' ? 'page_id=' : 'p=') . $id,
    ], ['ID' => $id]);
    clean_post_cache($id);
    if ($post['type'] === 'page') {
        $ids['pages'][$post['slug']] = $id;
    }
}
return $ids;
