//! CSV export and import of materials, stock and suppliers over plain HTTP, as the
//! import page's links and forms use them without wasm (issue 5, "CSV import/export"):
//! exports re-import unchanged, a file with a bad row is refused whole with the line
//! and column named, a good one is applied whole, audited, and reaches quotes at once.
//! A large materials or stock file is written in chunks, so other writes go between
//! them (issue 17, "large CSV imports in bounded chunks that don't hold the writer").

use c2m_tests::{TestApp, on_both_databases};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};
use server::seed::DEMO_PUBLISHABLE_KEY;
use server::service::supply::{self, CHUNK_ROWS};
use server::store::entities::{
    audit_log, imports, materials, nodes, shops, stock, supplier_materials, suppliers,
};

on_both_databases!(
    every_export_reimports_unchanged,
    a_bad_row_refuses_the_whole_file_and_names_its_line,
    a_good_stock_file_is_applied_audited_and_quoted_at_once,
    materials_and_suppliers_files_create_and_update_with_audit,
    header_problems_are_named_on_line_one,
    stock_below_what_orders_hold_is_refused,
    a_file_over_the_limit_is_refused_with_a_clear_message,
    signed_out_exports_and_imports_are_refused,
    the_new_material_form_checks_creates_and_audits,
    a_large_file_is_applied_in_chunks_that_let_other_writes_in,
);

pub(crate) async fn export(app: &TestApp, kind: &str) -> String {
    let response = app
        .client
        .get(app.url(&format!("/admin/export/{kind}.csv")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{kind} export");
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
    assert_eq!(
        headers["content-disposition"],
        format!("attachment; filename=\"{kind}.csv\"")
    );
    response.text().await.unwrap()
}

async fn upload(app: &TestApp, kind: &str, contents: impl Into<Vec<u8>>) -> reqwest::Response {
    let part = reqwest::multipart::Part::bytes(contents.into())
        .file_name(format!("{kind}.csv"))
        .mime_str("text/csv")
        .unwrap();
    app.client
        .post(app.url(&format!("/admin/import/{kind}")))
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap()
}

/// Uploads a file and returns its recorded outcome (the upload redirects to it).
pub(crate) async fn import(app: &TestApp, kind: &str, contents: impl Into<Vec<u8>>) -> imports::Model {
    let response = upload(app, kind, contents).await;
    assert_eq!(response.status(), 303, "{:?}", response.text().await);
    let location = response.headers()["location"].to_str().unwrap().to_string();
    let id: i64 = location
        .strip_prefix("/admin/imports/")
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("redirected to {location}"));
    imports::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .expect("the outcome is recorded")
}

/// `(line, column)` of each problem of a refused import.
pub(crate) fn named(outcome: &imports::Model) -> Vec<(Value, Value)> {
    outcome
        .errors
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["line"].clone(), p["column"].clone()))
        .collect()
}

async fn page(app: &TestApp, path: &str) -> String {
    let response = app.client.get(app.url(path)).send().await.unwrap();
    assert_eq!(response.status(), 200, "{path}");
    response.text().await.unwrap()
}

async fn state_version(app: &TestApp) -> i64 {
    shops::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .state_version
}

async fn audit_count(app: &TestApp) -> u64 {
    audit_log::Entity::find().count(&app.db).await.unwrap()
}

async fn on_hand(app: &TestApp, sku: &str, node: &str) -> Option<stock::Model> {
    let material = materials::Entity::find()
        .filter(materials::Column::Sku.eq(sku))
        .one(&app.db)
        .await
        .unwrap()?;
    let node = nodes::Entity::find()
        .filter(nodes::Column::Code.eq(node))
        .one(&app.db)
        .await
        .unwrap()?;
    stock::Entity::find()
        .filter(stock::Column::MaterialId.eq(material.id))
        .filter(stock::Column::NodeId.eq(node.id))
        .one(&app.db)
        .await
        .unwrap()
}

async fn material(app: &TestApp, sku: &str) -> Option<materials::Model> {
    materials::Entity::find()
        .filter(materials::Column::Sku.eq(sku))
        .one(&app.db)
        .await
        .unwrap()
}

async fn estimate(app: &TestApp, fabric: &str) -> Value {
    let body = json!({
        "product": "weekender-bag",
        "selection": {"fabric": [fabric], "trim": ["tan"], "hardware": ["brass"], "lining": ["cotton"]},
    });
    let response = app
        .client
        .post(app.url("/api/v1/quotes"))
        .bearer_auth(DEMO_PUBLISHABLE_KEY)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let answer: Value = response.json().await.unwrap();
    answer["estimate"].clone()
}

async fn every_export_reimports_unchanged(app: TestApp) {
    app.sign_in().await;
    for kind in ["materials", "stock", "suppliers"] {
        let before = export(&app, kind).await;
        assert!(before.lines().count() > 10, "{kind}: the seeded data is there");
        let (version, audited) = (state_version(&app).await, audit_count(&app).await);
        let outcome = import(&app, kind, before.clone()).await;
        assert_eq!(outcome.status, "applied", "{kind}: {}", outcome.errors);
        assert_eq!(
            outcome.rows as usize,
            before.lines().count() - 1,
            "{kind}: every row read"
        );
        assert_eq!(outcome.changed, 0, "{kind}: nothing differs");
        assert_eq!(
            state_version(&app).await,
            version,
            "{kind}: quotes are not disturbed"
        );
        assert_eq!(audit_count(&app).await, audited, "{kind}: nothing to audit");
        assert_eq!(export(&app, kind).await, before, "{kind}: the data is as it was");
    }
    let materials = export(&app, "materials").await;
    assert!(materials.starts_with("sku,name,unit,unit_cost,kind,colour_family,is_generic,attributes\n"));
    assert!(
        materials.contains("FAB-LIN-INDIGO,\"Linen, indigo\",cm,0.24,fabric,blue,false,"),
        "{materials}"
    );
    assert!(
        materials.contains("thickness_mm=2.0"),
        "decimal attributes keep their form"
    );
}

async fn a_bad_row_refuses_the_whole_file_and_names_its_line(app: TestApp) {
    app.sign_in().await;
    let before = on_hand(&app, "FAB-LIN-INDIGO", "FB").await.unwrap().on_hand;
    let (version, audited) = (state_version(&app).await, audit_count(&app).await);
    let file = "sku,node,on_hand,reason\n\
                FAB-LIN-INDIGO,FB,20000,two rolls found\n\
                FAB-CNV-SAND,WH,75000,\n\
                FAB-CNV-BLACK,FB,ten,\n\
                FAB-CNV-NAVY,XX,5,\n";
    let outcome = import(&app, "stock", file).await;
    assert_eq!(outcome.status, "refused");
    assert_eq!(
        named(&outcome),
        vec![(json!(4), json!("on_hand")), (json!(5), json!("node"))]
    );
    assert_eq!(
        on_hand(&app, "FAB-LIN-INDIGO", "FB").await.unwrap().on_hand,
        before,
        "good rows too are not applied"
    );
    assert_eq!(state_version(&app).await, version);
    assert_eq!(audit_count(&app).await, audited);

    let html = page(&app, &format!("/admin/imports/{}", outcome.id)).await;
    assert!(html.contains("data-import-outcome=\"refused\""));
    let at = html
        .find("data-line=\"4\" data-column=\"on_hand\"")
        .expect("line 4's problem is listed");
    assert!(html[at..].contains("“ten” is not a whole number"), "and says why");

    // A materials file: its good new material is not created either.
    let file = "sku,name,unit,unit_cost,kind,colour_family,is_generic,attributes\n\
                FAB-LIN-OCHRE,\"Linen, ochre\",cm,0.24,fabric,yellow,false,weight_gsm=280\n\
                FAB-LIN-RED,Linen red,yards,-1,fabric,,maybe,colour red\n";
    let outcome = import(&app, "materials", file).await;
    assert_eq!(
        named(&outcome),
        vec![
            (json!(3), json!("is_generic")),
            (json!(3), json!("attributes")),
            (json!(3), json!("unit")),
            (json!(3), json!("unit_cost")),
        ],
        "every problem of the row at once"
    );
    assert!(material(&app, "FAB-LIN-OCHRE").await.is_none());
}

async fn a_good_stock_file_is_applied_audited_and_quoted_at_once(app: TestApp) {
    app.sign_in().await;
    let (slow, fast) = (
        estimate(&app, "indigo-linen").await,
        estimate(&app, "navy-canvas").await,
    );
    let before_indigo = on_hand(&app, "FAB-LIN-INDIGO", "FB").await.unwrap().on_hand;
    assert_ne!(slow, fast, "indigo linen waits for its supplier");
    let version = state_version(&app).await;
    assert!(
        on_hand(&app, "FAB-CNV-RUST", "WH").await.is_none(),
        "no rust canvas at the warehouse yet"
    );
    let file = "sku,node,on_hand\nFAB-LIN-INDIGO,FB,20000\nFAB-CNV-RUST,WH,3000\nFAB-CNV-NAVY,FB,9000\n";
    let unchanged = on_hand(&app, "FAB-CNV-NAVY", "FB").await.unwrap();
    let outcome = import(&app, "stock", file).await;
    assert_eq!((outcome.status.as_str(), outcome.rows), ("applied", 3));
    assert!(outcome.actor.starts_with("merchant:"));
    let navy_changed = i32::from(unchanged.on_hand != 9000);
    assert_eq!(outcome.changed, 2 + navy_changed);
    assert_eq!(
        on_hand(&app, "FAB-LIN-INDIGO", "FB").await.unwrap().on_hand,
        20_000
    );
    let rust = on_hand(&app, "FAB-CNV-RUST", "WH")
        .await
        .expect("a new stock row");
    assert_eq!((rust.on_hand, rust.reserved), (3_000, 0));
    assert_eq!(
        state_version(&app).await,
        version + 1,
        "one bump for the whole file"
    );

    let audit = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("stock.set"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(audit.len() as i32, outcome.changed, "one entry per changed level");
    let indigo = audit
        .iter()
        .find(|a| a.entity_id == "FAB-LIN-INDIGO@FB")
        .expect("indigo audited");
    assert_eq!(indigo.actor, outcome.actor);
    assert_eq!(indigo.before.as_ref().unwrap()["on_hand"], before_indigo);
    assert_eq!(indigo.after.as_ref().unwrap()["on_hand"], 20_000);
    assert_eq!(indigo.after.as_ref().unwrap()["reason"], "CSV import");

    // No wait: the import told the quote service before it answered.
    assert_eq!(estimate(&app, "indigo-linen").await, fast);
    let html = page(&app, &format!("/admin/imports/{}", outcome.id)).await;
    assert!(html.contains("data-import-outcome=\"applied\""));
    assert!(
        page(&app, "/admin/import")
            .await
            .contains(&format!("/admin/imports/{}", outcome.id)),
        "listed as recent"
    );
}

async fn materials_and_suppliers_files_create_and_update_with_audit(app: TestApp) {
    app.sign_in().await;
    let version = state_version(&app).await;
    let file = "kind,sku,name,unit,unit_cost,colour_family,is_generic,attributes\n\
                fabric,FAB-LIN-OCHRE,\"Linen, ochre\",cm,0.25,yellow,FALSE,material=linen; weight_gsm=280\n\
                fabric,FAB-LIN-INDIGO,\"Linen, indigo (washed)\",cm,0.26,blue,false,material=linen; colour=indigo\n";
    let outcome = import(&app, "materials", file).await;
    assert_eq!(
        (outcome.status.as_str(), outcome.changed),
        ("applied", 2),
        "{}",
        outcome.errors
    );
    let ochre = material(&app, "FAB-LIN-OCHRE").await.expect("created");
    assert_eq!(ochre.attributes, json!({"material": "linen", "weight_gsm": 280}));
    assert_eq!((ochre.unit_cost_minor, ochre.is_generic), (25, false));
    let indigo = material(&app, "FAB-LIN-INDIGO").await.unwrap();
    assert_eq!(
        (indigo.name.as_str(), indigo.unit_cost_minor),
        ("Linen, indigo (washed)", 26)
    );
    assert_eq!(state_version(&app).await, version + 1);
    let actions: Vec<String> = audit_log::Entity::find()
        .filter(audit_log::Column::Entity.eq("material"))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|a| format!("{} {}", a.action, a.entity_id))
        .collect();
    assert_eq!(
        actions,
        ["material.create FAB-LIN-OCHRE", "material.update FAB-LIN-INDIGO"]
    );

    // A unit change would re-mean every quantity: refused.
    let outcome = import(&app, "materials", "sku,name,unit,unit_cost,kind,colour_family,is_generic,attributes\nFAB-LIN-OCHRE,Linen,m,0.25,fabric,,false,\n").await;
    assert_eq!(named(&outcome), vec![(json!(2), json!("unit"))]);

    let file = "supplier_code,supplier_name,email,supplier_status,sku,lead_time_mean_days,lead_time_sd_days,moq,pack_size,price,offer_status\n\
                S-MILL,Ochre Mill,orders@mill.example,active,FAB-LIN-OCHRE,12.5,2,5000,5000,0.20,active\n\
                S-MILL,Ochre Mill,orders@mill.example,active,FAB-LIN-INDIGO,9,1.5,5000,2500,0.21,active\n\
                S-NEW,Newcomer,,active,,,,,,,\n";
    let outcome = import(&app, "suppliers", file).await;
    assert_eq!(
        (outcome.status.as_str(), outcome.changed),
        ("applied", 4),
        "{}",
        outcome.errors
    );
    let mill = suppliers::Entity::find()
        .filter(suppliers::Column::Code.eq("S-MILL"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the supplier");
    let offers = supplier_materials::Entity::find()
        .filter(supplier_materials::Column::SupplierId.eq(mill.id))
        .all(&app.db)
        .await
        .unwrap();
    let ochre_offer = offers
        .iter()
        .find(|o| o.material_id == ochre.id)
        .expect("the offer");
    assert_eq!(
        (
            ochre_offer.lead_time_mean_days,
            ochre_offer.price_minor,
            ochre_offer.pack_size
        ),
        (12.5, 20, 5000)
    );
    assert_eq!(state_version(&app).await, version + 2);
    let exported = export(&app, "suppliers").await;
    assert!(
        exported.contains(
            "S-MILL,Ochre Mill,orders@mill.example,active,FAB-LIN-OCHRE,12.5,2,5000,5000,0.20,active"
        ),
        "{exported}"
    );
    assert!(exported.contains("S-NEW,Newcomer,,active,,,,,,,"));

    // The rows of one supplier must agree on it.
    let file = "supplier_code,supplier_name,email,supplier_status,sku,lead_time_mean_days,lead_time_sd_days,moq,pack_size,price,offer_status\n\
                S-MILL,Ochre Mill,orders@mill.example,active,FAB-LIN-OCHRE,12.5,2,5000,5000,0.20,active\n\
                S-MILL,Ochre Mills,orders@mill.example,active,FAB-LIN-INDIGO,9,1.5,0,2500,0.21,active\n";
    let outcome = import(&app, "suppliers", file).await;
    assert_eq!(
        named(&outcome),
        vec![(json!(3), json!("moq")), (json!(3), json!("supplier_name"))]
    );
}

async fn header_problems_are_named_on_line_one(app: TestApp) {
    app.sign_in().await;
    let outcome = import(&app, "stock", "sku,location,on_hand\nFAB-LIN-INDIGO,FB,5\n").await;
    assert_eq!(outcome.status, "refused");
    assert_eq!(
        named(&outcome),
        vec![(json!(1), json!("location")), (json!(1), json!("node"))]
    );
    let message = &outcome.errors[0]["message"];
    assert!(
        message.as_str().unwrap().contains("sku, node, on_hand, reason"),
        "{message}"
    );

    // A row of the wrong length does not hide the problems of the others.
    let outcome = import(
        &app,
        "stock",
        "sku,node,on_hand\nFAB-LIN-INDIGO,FB\nFAB-CNV-BLACK,FB,ten\n",
    )
    .await;
    assert_eq!(
        named(&outcome),
        vec![(json!(2), Value::Null), (json!(3), json!("on_hand"))]
    );

    let outcome = import(&app, "suppliers", "").await;
    assert_eq!(named(&outcome), vec![(json!(1), Value::Null)], "an empty file");
    let outcome = import(&app, "materials", "sku,sku\n").await;
    assert!(named(&outcome).contains(&(json!(1), json!("sku"))));
}

async fn stock_below_what_orders_hold_is_refused(app: TestApp) {
    app.sign_in().await;
    let held = stock::Entity::find()
        .filter(stock::Column::Reserved.gt(0))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the demo shop has orders holding stock");
    let sku = materials::Entity::find_by_id(held.material_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .sku;
    let node = nodes::Entity::find_by_id(held.node_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .code;
    let file = format!("sku,node,on_hand\n{sku},{node},{}\n", held.reserved - 1);
    let outcome = import(&app, "stock", file).await;
    assert_eq!(named(&outcome), vec![(json!(2), json!("on_hand"))]);
    assert!(
        outcome.errors[0]["message"]
            .as_str()
            .unwrap()
            .contains("reserved")
    );
    assert_eq!(
        stock::Entity::find_by_id(held.id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap(),
        held
    );
}

async fn a_file_over_the_limit_is_refused_with_a_clear_message(app: TestApp) {
    app.sign_in().await;
    let before = on_hand(&app, "FAB-LIN-INDIGO", "FB").await;
    let mut file = b"sku,node,on_hand\n".to_vec();
    while file.len() <= 6 * 1024 * 1024 {
        file.extend_from_slice(b"FAB-LIN-INDIGO,FB,1\n");
    }
    let outcome = import(&app, "stock", file).await;
    assert_eq!(outcome.status, "refused");
    assert_eq!(
        named(&outcome),
        vec![(Value::Null, Value::Null)],
        "the file as a whole"
    );
    let message = outcome.errors[0]["message"].as_str().unwrap();
    assert!(message.contains("at most 5 MB"), "{message}");
    assert_eq!(on_hand(&app, "FAB-LIN-INDIGO", "FB").await, before);
    let html = page(&app, &format!("/admin/imports/{}", outcome.id)).await;
    assert!(html.contains("at most 5 MB"));
}

async fn signed_out_exports_and_imports_are_refused(app: TestApp) {
    let before = on_hand(&app, "FAB-LIN-INDIGO", "FB").await;
    let response = app
        .client
        .get(app.url("/admin/export/materials.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    assert!(!response.text().await.unwrap().contains("FAB-LIN-INDIGO"));
    let response = upload(&app, "stock", "sku,node,on_hand\nFAB-LIN-INDIGO,FB,20000\n").await;
    assert_eq!(response.status(), 401);
    assert!(response.text().await.unwrap().contains("sign in"));
    assert_eq!(on_hand(&app, "FAB-LIN-INDIGO", "FB").await, before);
    assert_eq!(
        imports::Entity::find().count(&app.db).await.unwrap(),
        0,
        "nothing recorded"
    );

    app.sign_in().await;
    let response = app
        .client
        .get(app.url("/admin/export/orders.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
}

async fn the_new_material_form_checks_creates_and_audits(app: TestApp) {
    app.sign_in().await;
    let post = |form: Vec<(&'static str, &'static str)>| {
        let app = &app;
        async move {
            app.client
                .post(app.url("/_fn/admin/create_material"))
                .header("accept", "text/html")
                .header("referer", app.url("/admin/materials"))
                .form(&form)
                .send()
                .await
                .unwrap()
        }
    };
    let good = vec![
        ("sku", "FAB-LIN-OCHRE"),
        ("name", "Linen, ochre"),
        ("unit", "cm"),
        ("unit_cost", "0.24"),
        ("kind", "fabric"),
        ("colour_family", "yellow"),
        ("is_generic", "on"),
        ("attributes", "material=linen; weight_gsm=280"),
    ];
    let version = state_version(&app).await;
    for (field, bad) in [
        ("unit_cost", "a lot"),
        ("unit", "yards"),
        ("attributes", "linen"),
        ("sku", "FAB LIN"),
    ] {
        let mut form = good.clone();
        form.retain(|(k, _)| *k != field);
        form.push((field, bad));
        let response = post(form).await;
        let back = response.headers()["location"].to_str().unwrap().to_string();
        assert!(back.contains("__err="), "{field}: {back}");
        let html = page(&app, back.trim_start_matches(&app.base_url)).await;
        assert!(
            html.contains(&format!("id=\"error-{field}\"")),
            "{field} is named next to it"
        );
    }
    assert!(
        material(&app, "FAB-LIN-OCHRE").await.is_none(),
        "nothing was saved"
    );

    let response = post(good.clone()).await;
    let back = response.headers()["location"].to_str().unwrap().to_string();
    assert!(!back.contains("__err="), "{back}");
    let ochre = material(&app, "FAB-LIN-OCHRE").await.expect("created");
    assert_eq!(ochre.attributes, json!({"material": "linen", "weight_gsm": 280}));
    assert!(ochre.is_generic);
    assert_eq!(state_version(&app).await, version + 1);
    let audit = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("material.create"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("audited");
    assert!(audit.actor.starts_with("merchant:") && audit.before.is_none());
    assert!(
        page(&app, "/admin/materials")
            .await
            .contains("data-sku=\"FAB-LIN-OCHRE\"")
    );

    let response = post(good).await;
    let back = response.headers()["location"].to_str().unwrap().to_string();
    assert!(
        back.contains("__err="),
        "a second material with the SKU is refused"
    );
}

/// Four full chunks and a short fifth one.
const BULK: usize = 4 * CHUNK_ROWS + CHUNK_ROWS / 5;

/// A materials file of `BULK` new materials, `BULK-00001` on line 2 onwards, with the
/// row of `BULK-{odd}` in `odd_unit` instead of `cm`.
fn bulk_materials(odd: usize, odd_unit: &str) -> String {
    let mut file = String::from("sku,name,unit,unit_cost,kind,colour_family,is_generic,attributes\n");
    for n in 1..=BULK {
        let unit = if n == odd { odd_unit } else { "cm" };
        file.push_str(&format!(
            "BULK-{n:05},Bulk fabric {n},{unit},0.10,fabric,,false,\n"
        ));
    }
    file
}

/// The import's `material.create` audit rows, oldest first.
async fn bulk_created(app: &TestApp) -> Vec<audit_log::Model> {
    audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("material.create"))
        .filter(audit_log::Column::EntityId.starts_with("BULK-"))
        .filter(audit_log::Column::Actor.ne("merchant:99"))
        .order_by_asc(audit_log::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

/// A file of several chunks: each chunk commits whole (the rows seen are always a
/// multiple of a chunk), another write takes the shop's writer between two chunks,
/// and when that write makes a row of a later chunk wrong, the import stops there: the
/// chunks above are kept, the outcome names the row, and the file uploaded again (the
/// row fixed) applies only the rest.
async fn a_large_file_is_applied_in_chunks_that_let_other_writes_in(app: TestApp) {
    app.sign_in().await;
    let shop = shops::Entity::find().one(&app.db).await.unwrap().unwrap().id;
    // The odd row sits in the last chunk; another merchant creates it, counted in
    // metres, while the first chunks are being written.
    let odd = 4 * CHUNK_ROWS + 10;
    let odd_sku = format!("BULK-{odd:05}");
    let file = bulk_materials(odd, "cm");
    let part = reqwest::multipart::Part::bytes(file.clone().into_bytes())
        .file_name("bulk.csv")
        .mime_str("text/csv")
        .unwrap();
    let upload = app
        .client
        .post(app.url("/admin/import/materials"))
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send();
    let importing = tokio::spawn(upload);
    let seen = loop {
        let seen = bulk_created(&app).await.len();
        if seen > 0 {
            break seen;
        }
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    };
    assert_eq!(
        seen % CHUNK_ROWS,
        0,
        "a chunk is seen whole or not at all: {seen} rows"
    );
    assert!(
        seen < BULK,
        "the first chunk is visible before the last is written"
    );
    // Waits for the writer, which the import gives up between chunks.
    let w = app.write(shop, "merchant:99").await;
    let metres: serde_json::Value = json!({
        "sku": odd_sku, "name": format!("Bulk fabric {odd}"), "unit": "m", "unit_cost_minor": 10,
        "kind": "fabric", "colour_family": null, "is_generic": false, "attributes": [],
    });
    supply::create_material(w, &serde_json::from_value(metres).unwrap())
        .await
        .expect("the other merchant's material");
    let response = importing.await.unwrap().unwrap();
    assert_eq!(response.status(), 303, "{:?}", response.text().await);
    let location = response.headers()["location"].to_str().unwrap().to_string();
    let id: i64 = location.strip_prefix("/admin/imports/").unwrap().parse().unwrap();
    let outcome = imports::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();

    // Stopped at the odd row; the four chunks above it kept, the fifth rolled back.
    let applied = 4 * CHUNK_ROWS;
    assert_eq!(outcome.status.as_str(), "stopped", "{outcome:?}");
    assert_eq!(outcome.changed as usize, applied, "{outcome:?}");
    let line = (odd + 1) as u64;
    assert_eq!(
        named(&outcome),
        vec![(json!(line), json!("unit"))],
        "{:?}",
        outcome.errors
    );
    let message = outcome.errors[0]["message"].as_str().unwrap();
    assert!(
        message.contains(&format!("the rows above line {}", applied + 2)) && message.contains(&odd_sku),
        "{message}"
    );
    let created = bulk_created(&app).await;
    assert_eq!(created.len(), applied);
    assert_eq!(created.last().unwrap().entity_id, format!("BULK-{applied:05}"));
    // The other merchant's write went in between the import's chunks.
    let theirs = audit_log::Entity::find()
        .filter(audit_log::Column::Actor.eq("merchant:99"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the other merchant's audit row");
    assert!(
        created.first().unwrap().id < theirs.id && theirs.id < created.last().unwrap().id,
        "the other write waited for the whole file: import rows {}..{}, theirs {}",
        created.first().unwrap().id,
        created.last().unwrap().id,
        theirs.id
    );
    let bulk = materials::Entity::find()
        .filter(materials::Column::Sku.starts_with("BULK-"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(
        bulk as usize,
        applied + 1,
        "the rolled-back chunk left nothing but theirs"
    );
    let page = page(&app, &location).await;
    assert!(page.contains(r#"data-import-outcome="stopped""#), "{page}");

    // The same file with the odd row in metres: the rows already applied change
    // nothing, the rest is applied.
    let again = import(&app, "materials", bulk_materials(odd, "m")).await;
    assert_eq!(again.status.as_str(), "applied", "{:?}", again.errors);
    assert_eq!(again.changed as usize, BULK - applied - 1);
    let bulk = materials::Entity::find()
        .filter(materials::Column::Sku.starts_with("BULK-"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(bulk as usize, BULK);
}
