//! Headless Chromium driven through Debian's chromedriver.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use thirtyfour::prelude::*;

/// A chromedriver process and one browser session; both end when this is dropped.
pub struct Browser {
    /// The WebDriver session.
    pub driver: WebDriver,
    chromedriver: Child,
    profile: std::path::PathBuf,
}

impl Browser {
    /// Starts chromedriver on a free port and a headless Chromium with a fresh profile.
    pub async fn start() -> Browser {
        let port = free_port();
        let chromedriver = Command::new("/usr/bin/chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver is installed (cargo xtask test installs it)");
        let url = format!("http://127.0.0.1:{port}");
        wait_for_port(port);
        let profile = std::env::temp_dir().join(format!("c2m-chromium-{}", uuid::Uuid::new_v4().simple()));
        let mut caps = DesiredCapabilities::chrome();
        caps.set_binary("/usr/bin/chromium").expect("binary");
        for arg in [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--window-size=1280,900",
        ] {
            caps.add_arg(arg).expect("argument");
        }
        caps.add_arg(&format!("--user-data-dir={}", profile.display()))
            .expect("argument");
        let driver = WebDriver::new(url, caps).await.expect("a Chromium session");
        Browser {
            driver,
            chromedriver,
            profile,
        }
    }

    /// The WCAG 2.2 A and AA violations axe-core finds in the page as it is now, open
    /// shadow roots included, each as `rule (impact) xN: help` with the first nodes.
    /// axe-core comes from npm: `cargo xtask test` installs it and names it in
    /// `C2M_AXE_JS`; without that, the copy under the target directory is used.
    pub async fn accessibility_violations(driver: &WebDriver) -> Vec<String> {
        let path = std::env::var_os("C2M_AXE_JS").map_or_else(
            || {
                let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
                    || crate::workspace_root().join("target"),
                    std::path::PathBuf::from,
                );
                target.join("axe/node_modules/axe-core/axe.min.js")
            },
            std::path::PathBuf::from,
        );
        let axe = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "axe-core at {}: {e} (cargo xtask test installs it)",
                path.display()
            )
        });
        driver.execute(&axe, vec![]).await.expect("axe-core loads");
        let found = driver
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, { runOnly: { type: 'tag',
                     values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } })
                   .then(r => done(r.violations.map(v => `${v.id} (${v.impact}) x${v.nodes.length}: ${v.help}: `
                       + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))))
                   .catch(e => done([`axe failed: ${e}`]));",
                vec![],
            )
            .await
            .expect("axe-core runs");
        serde_json::from_value(found.json().clone()).expect("a list of violations")
    }

    /// Waits for `css` to match in the page and returns the first match.
    pub async fn wait_for(driver: &WebDriver, css: &str) -> WebElement {
        driver
            .query(By::Css(css))
            .wait(Duration::from_secs(15), Duration::from_millis(100))
            .first()
            .await
            .unwrap_or_else(|e| panic!("`{css}` never appeared: {e}"))
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.chromedriver.kill();
        let _ = self.chromedriver.wait();
        // A chromedriver killed without ending its session leaves its Chromium running
        // (the session is ended by an async call a drop cannot make): end every process
        // started with this session's own profile, which no other browser shares.
        let _ = Command::new("pkill")
            .arg("-KILL")
            .args(["-f", "--"])
            .arg(format!("--user-data-dir={}", self.profile.display()))
            .status();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

fn wait_for_port(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("chromedriver did not listen on port {port}");
}
