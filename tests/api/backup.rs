//! `c2m backup` (issue 17, "Operations"): a copy of the SQLite database taken while the
//! server runs holds everything committed before it and nothing after; a server started
//! on the copy serves it (the restore); a backup never overwrites a file; PostgreSQL
//! is sent to pg_dump.

use c2m_tests::process::{C2m, binary_beside, connect, free_port};
use c2m_tests::{Backend, TestApp, spawn_app};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde_json::json;
use server::seed::{DEMO_PUBLISHABLE_KEY, DEMO_SECRET_KEY};
use server::store::backup::{self, BackupError};

async fn count_navy(app: &TestApp, on_hand: i64) {
    let response = app
        .client
        .put(app.url("/api/v1/materials/FAB-CNV-NAVY/stock/FB"))
        .bearer_auth(DEMO_SECRET_KEY)
        .json(&json!({"on_hand": on_hand, "reason": "counted"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

async fn scalar(db: &DatabaseConnection, sql: &str) -> i64 {
    db.query_one_raw(sea_orm::Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap()
        .expect("a row")
        .try_get_by_index::<i64>(0)
        .unwrap()
}

const NAVY: &str = "SELECT s.on_hand FROM stock s JOIN materials m ON m.id = s.material_id \
                    JOIN nodes n ON n.id = s.node_id WHERE m.sku = 'FAB-CNV-NAVY' AND n.code = 'FB'";
const AUDITED: &str = "SELECT COUNT(*) FROM audit_log";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_serving_restores_what_was_committed_before_it() {
    let app = spawn_app(Backend::Sqlite).await;
    count_navy(&app, 4_321).await;
    let audited = scalar(&app.db, AUDITED).await;
    let dir = std::env::temp_dir().join(format!("c2m-backup-{}", uuid::Uuid::new_v4().simple()));
    let copy = dir.join("nightly/c2m.db");
    let c2m = C2m {
        binary: binary_beside(&std::env::current_exe().expect("the test binary's path")),
        url: &app.database_url,
        schema: None,
    };
    let taken = c2m
        .command(None)
        .args(["backup", "--to"])
        .arg(&copy)
        .output()
        .await
        .expect("c2m backup runs");
    assert!(
        taken.status.success(),
        "{}",
        String::from_utf8_lossy(&taken.stderr)
    );
    assert!(String::from_utf8_lossy(&taken.stdout).contains("backed up"));
    // After the backup: not in it.
    count_navy(&app, 999).await;

    // A backup never overwrites.
    let again = c2m
        .command(None)
        .args(["backup", "--to"])
        .arg(&copy)
        .output()
        .await
        .unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists already"));

    // A database that is not there is not backed up (connecting would create it).
    let nowhere = dir.join("no-such.db");
    let wrong = C2m {
        binary: c2m.binary.clone(),
        url: &format!("sqlite://{}", nowhere.display()),
        schema: None,
    }
    .command(None)
    .args(["backup", "--to"])
    .arg(dir.join("empty.db"))
    .output()
    .await
    .unwrap();
    assert!(!wrong.status.success());
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("there is no database"));
    assert!(
        !nowhere.exists() && !dir.join("empty.db").exists(),
        "nothing created"
    );

    // The restore: a server on the copy serves what was committed before the backup.
    let url = format!("sqlite://{}", copy.display());
    let restored = C2m {
        binary: c2m.binary.clone(),
        url: &url,
        schema: None,
    };
    let port = free_port();
    let _server = restored.serve(port).await;
    let quote = reqwest::Client::new()
        .post(format!("http://127.0.0.1:{port}/api/v1/quotes"))
        .bearer_auth(DEMO_PUBLISHABLE_KEY)
        .json(&json!({"product": "weekender-bag", "quantity": 1, "selection":
            {"fabric": ["navy-canvas"], "trim": ["tan"], "hardware": ["brass"], "lining": ["cotton"]}}))
        .send()
        .await
        .unwrap();
    assert_eq!(quote.status(), 200, "the restored shop quotes");
    let db = connect(&url, None).await;
    assert_eq!(scalar(&db, NAVY).await, 4_321, "the count before the backup");
    assert_eq!(scalar(&db, AUDITED).await, audited, "and its audit log, no more");
    assert_eq!(scalar(&app.db, NAVY).await, 999, "the live database went on");
    db.close().await.unwrap();
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn postgres_is_backed_up_with_pg_dump() {
    let app = spawn_app(Backend::Postgres).await;
    let to = std::env::temp_dir().join(format!("c2m-pg-{}.db", uuid::Uuid::new_v4().simple()));
    let refused = backup::sqlite_to(app.store(), &to).await.unwrap_err();
    assert!(matches!(refused, BackupError::Postgres), "{refused}");
    assert!(refused.to_string().contains("pg_dump"));
    assert!(!to.exists(), "nothing written");
}
