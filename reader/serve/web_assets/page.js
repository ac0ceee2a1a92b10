// The "open a new one" button: a fresh page at the same (secret) address starts a new reader.
document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("again").addEventListener("click", () => {
    window.location.reload();
  });
  // textual.js makes the terminal but never focuses it: keys typed into a fresh page went to
  // the page itself, and nothing answered until the terminal was clicked. It is focused once
  // the websocket is open (textual.js marks the body "-loaded" then): a focus before that is
  // sent down a socket still connecting, which throws.
  const loaded = new MutationObserver(() => {
    if (document.body.classList.contains("-loaded")) {
      loaded.disconnect();
      const keys = document.querySelector(".xterm-helper-textarea");
      if (keys) {
        keys.focus();
      }
    }
  });
  loaded.observe(document.body, { attributes: true, attributeFilter: ["class"] });
});
