//! Import and export in headless Chromium: a CSV file with a bad row, chosen in the
//! import page's file input, is refused on a page naming its line and changes nothing
//! the materials page shows; a material added in the New material form is listed.

use c2m_tests::browser::Browser;
use c2m_tests::{Backend, TestApp, spawn_app};
use serde_json::json;
use thirtyfour::prelude::*;

use crate::admin::{open, sign_in_and_open};
use crate::page;

/// The on-hand figure the materials page shows for `sku` at `node`.
async fn shown_on_hand(driver: &WebDriver, app: &TestApp, sku: &str, node: &str) -> String {
    open(driver, app, &format!("/admin/materials?search={sku}")).await;
    let cell = format!("tr[data-sku='{sku}'] tr[data-node='{node}'] td[data-on-hand]");
    let cell = Browser::wait_for(driver, &cell).await;
    cell.attr("data-on-hand").await.unwrap().expect("the figure")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_csv_with_a_bad_row_is_refused_on_its_line_and_nothing_changes() {
    let app = spawn_app(Backend::Sqlite).await;
    let browser = Browser::start().await;
    let driver = &browser.driver;
    sign_in_and_open(driver, &app, "/admin/materials?search=FAB-LIN-INDIGO").await;
    let before = shown_on_hand(driver, &app, "FAB-LIN-INDIGO", "FB").await;

    let file = std::env::temp_dir().join(format!("c2m-stock-{}.csv", uuid::Uuid::new_v4().simple()));
    std::fs::write(
        &file,
        "sku,node,on_hand,reason\nFAB-LIN-INDIGO,FB,20000,found\nFAB-CNV-SAND,WH,75000,\nFAB-CNV-BLACK,FB,ten,\n",
    )
    .unwrap();
    open(driver, &app, "/admin/import").await;
    driver
        .find(By::Css("form[data-import=stock] input[type=file]"))
        .await
        .unwrap()
        .send_keys(file.display().to_string())
        .await
        .unwrap();
    driver
        .find(By::Css("form[data-import=stock] button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    Browser::wait_for(driver, "[data-import-outcome=refused]").await;
    let problem = Browser::wait_for(driver, "tr[data-line='4'][data-column='on_hand']").await;
    assert!(
        problem.text().await.unwrap().contains("ten"),
        "the problem says what was wrong"
    );
    std::fs::remove_file(&file).ok();

    assert_eq!(
        shown_on_hand(driver, &app, "FAB-LIN-INDIGO", "FB").await,
        before,
        "the good row was not applied either"
    );
    browser.driver.clone().quit().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_material_added_in_the_form_is_listed() {
    let app = spawn_app(Backend::Sqlite).await;
    let browser = Browser::start().await;
    let driver = &browser.driver;
    sign_in_and_open(driver, &app, "/admin/materials").await;
    driver
        .find(By::Css("details:has([data-form=material]) summary"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let fill = "const [form, values] = arguments;
                for (const [name, value] of Object.entries(values)) form.elements[name].value = value;";
    let form = driver.find(By::Css("[data-form=material]")).await.unwrap();
    let values = json!({
        "sku": "FAB-LIN-OCHRE", "name": "Linen, ochre", "unit": "cm", "unit_cost": "a lot",
        "kind": "fabric", "colour_family": "yellow", "attributes": "material=linen; weight_gsm=280",
    });
    page::run(driver, fill, vec![form.to_json().unwrap(), values]).await;
    let submit = "[data-form=material] button[type=submit]";
    driver.find(By::Css(submit)).await.unwrap().click().await.unwrap();
    let refusal = Browser::wait_for(driver, "#error-unit_cost").await;
    assert!(
        refusal.text().await.unwrap().contains("a lot"),
        "the refusal is next to the field"
    );
    assert!(
        driver
            .find(By::Css("tr[data-sku='FAB-LIN-OCHRE']"))
            .await
            .is_err()
    );

    // The refused form kept what was typed: only the cost needs fixing.
    let form = driver.find(By::Css("[data-form=material]")).await.unwrap();
    page::run(
        driver,
        fill,
        vec![form.to_json().unwrap(), json!({"unit_cost": "0.25"})],
    )
    .await;
    driver.find(By::Css(submit)).await.unwrap().click().await.unwrap();
    let row = Browser::wait_for(driver, "tr[data-sku='FAB-LIN-OCHRE']").await;
    let text = row.text().await.unwrap();
    assert!(
        text.contains("Linen, ochre") && text.contains("weight_gsm: 280"),
        "{text}"
    );
    browser.driver.clone().quit().await.unwrap();
}
