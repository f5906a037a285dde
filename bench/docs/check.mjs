// Usage: node check.mjs BASE_URL USERNAME PASSWORD SCREENSHOT.png
// Opens BASE_URL/docs in Debian's Chromium, logs in through Swagger UI's
// Authorize dialog (OAuth2 password flow against /token), runs "Try it out"
// on GET /user/me/ and checks that the API answered 200 with the user.
import { chromium } from "playwright-core";

const [base, username, password, shot] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const fail = async (msg) => { console.error("FAIL: " + msg); await browser.close(); process.exit(1); };
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
  const external = [];
  page.on("request", (r) => { if (!r.url().startsWith(base)) external.push(r.url()); });
  await page.goto(base + "/docs", { waitUntil: "networkidle" });
  await page.waitForSelector(".opblock", { timeout: 15000 });
  const ops = await page.locator(".opblock").count();
  console.log(`docs loaded: ${ops} operations listed`);

  await page.click("button.authorize");
  await page.fill("input#oauth_username", username);
  await page.fill("input#oauth_password", password);
  await page.click(".auth-btn-wrapper button.authorize");
  await page.waitForSelector(".auth-btn-wrapper button.btn-done, button:has-text('Logout')", { timeout: 10000 });
  const loggedIn = await page.locator("button:has-text('Logout')").count();
  if (!loggedIn) await fail("Authorize did not log in");
  console.log("logged in through the Authorize dialog");
  await page.click("button.btn-done");

  const me = page.locator("#operations-users-getMe");
  await me.locator(".opblock-summary").click();
  const tryIt = me.locator("button.try-out__btn:not(.cancel)"); // tryItOutEnabled may have opened it
  if (await tryIt.count()) await tryIt.click();
  await me.locator("button.execute").click();
  await me.locator(".responses-table.live-responses-table .response-col_status").first().waitFor({ timeout: 10000 });
  const status = (await me.locator(".live-responses-table tbody .response-col_status").first().innerText()).trim();
  const body = await me.locator(".live-responses-table .microlight").first().innerText();
  console.log(`GET /user/me/ from the docs page: ${status}`);
  console.log(body.split("\n").slice(0, 10).join("\n"));
  await me.scrollIntoViewIfNeeded();
  await page.screenshot({ path: shot, fullPage: false });
  console.log("screenshot: " + shot);
  if (status !== "200" || !body.includes(`"username": "${username}"`)) await fail("the call did not answer 200 with the user");
  if (external.length) await fail("requests left the server: " + external.join(", "));
  console.log("OK: no request left the server");
} catch (e) {
  await fail(e.message);
}
await browser.close();
