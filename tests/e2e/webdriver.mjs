// A minimal W3C WebDriver client over Node's built-in fetch: just what the
// end-to-end tests need to drive the real app through tauri-driver.
import { writeFileSync } from "node:fs";

const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

export class WebDriverError extends Error {}

export class Session {
  constructor(base, id) {
    this.base = base;
    this.id = id;
  }

  /** Starts the app at `application` (a built binary) with `args` in a new session. */
  static async start(base, application, args = []) {
    const res = await fetch(`${base}/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        capabilities: { alwaysMatch: { "tauri:options": { application, args } } },
      }),
    });
    const body = await res.json();
    if (!res.ok) throw new WebDriverError(`new session: ${JSON.stringify(body)}`);
    return new Session(base, body.value.sessionId);
  }

  async cmd(method, path, body) {
    const res = await fetch(`${this.base}/session/${this.id}${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json();
    if (!res.ok) throw new WebDriverError(`${method} ${path}: ${JSON.stringify(json.value ?? json)}`);
    return json.value;
  }

  async quit() {
    await this.cmd("DELETE", "");
  }

  /** Runs `script` (a function body) in the page; `return` gives its value. */
  execute(script, ...args) {
    return this.cmd("POST", "/execute/sync", { script, args });
  }

  async find(css) {
    const value = await this.cmd("POST", "/element", { using: "css selector", value: css });
    return value[ELEMENT];
  }

  async findAll(css) {
    const value = await this.cmd("POST", "/elements", { using: "css selector", value: css });
    return value.map((v) => v[ELEMENT]);
  }

  click(element) {
    return this.cmd("POST", `/element/${element}/click`, {});
  }

  type(element, text) {
    return this.cmd("POST", `/element/${element}/value`, { text });
  }

  clear(element) {
    return this.cmd("POST", `/element/${element}/clear`, {});
  }

  text(element) {
    return this.cmd("GET", `/element/${element}/text`);
  }

  /** Polls `probe` until it returns a truthy value, or fails after `ms`. */
  async waitFor(what, probe, ms = 15000) {
    const until = Date.now() + ms;
    let last;
    for (;;) {
      try {
        last = await probe();
        if (last) return last;
      } catch (e) {
        last = e;
      }
      if (Date.now() > until) throw new WebDriverError(`timed out waiting for ${what} (last: ${last})`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Waits until an element matching `css` exists; returns it. */
  waitForElement(css, ms) {
    return this.waitFor(css, async () => (await this.findAll(css))[0], ms);
  }

  /**
   * Clicks the first element matching `css` once it exists. A list the page
   * redraws (a search box's results arriving again) can replace the element
   * between finding and clicking it; the click is then retried on the new one.
   */
  clickWhenReady(css, ms) {
    return this.waitFor(`${css} to click`, async () => {
      const [element] = await this.findAll(css);
      if (!element) return false;
      await this.click(element);
      return true;
    }, ms);
  }

  async screenshot(path) {
    const png = await this.cmd("GET", "/screenshot");
    writeFileSync(path, Buffer.from(png, "base64"));
  }
}
