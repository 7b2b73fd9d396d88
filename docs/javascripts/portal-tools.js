// An article's tools: print it, copy its address (without the search highlight ?h=).
// The buttons are shown only where scripts run (the class portal-js, set in <head>).
document.querySelectorAll("[data-portal-tools]").forEach((tools) => {
  const status = tools.querySelector("[role=status]");
  const say = (text) => { status.textContent = text; setTimeout(() => { status.textContent = ""; }, 4000); };
  tools.querySelector("[data-portal-print]").addEventListener("click", () => window.print());
  tools.querySelector("[data-portal-copy]").addEventListener("click", async () => {
    const address = document.querySelector("link[rel=canonical]")?.href || location.href.split(/[?#]/)[0];
    try {
      await navigator.clipboard.writeText(address);
      say("链接已复制，可以粘贴到微信发送。");
    } catch (error) {
      window.prompt("请长按或按 Ctrl+C 复制本文链接：", address);  // no clipboard access (http, old browsers)
    }
  });
});
