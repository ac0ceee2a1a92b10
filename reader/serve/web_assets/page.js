// The "open a new one" button: a fresh page at the same (secret) address starts a new reader.
document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("again").addEventListener("click", () => {
    window.location.reload();
  });
});
