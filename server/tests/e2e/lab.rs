//! The lab scenario of the seeds (SPEC §8) through the UI: five people, five browser sessions,
//! each checking what they see and can do.

use fantoccini::Locator;

use crate::browser::{start_site, Browser};
use crate::workspaces::{action, create_workspace, researcher, sign_in, site_admin};

#[tokio::test]
async fn the_lab_scenario_in_five_browsers() {
    let site = start_site().await;
    let (admin, csrf) = site_admin(&site.base).await;
    for (email, name) in [
        ("head@lab.org", "Lena Head"),
        ("postdoc@lab.org", "Pat Postdoc"),
        ("coworker@lab.org", "Cory Coworker"),
        ("teacher@school.org", "Robin Teacher"),
        ("student@school.org", "Sam Student"),
    ] {
        researcher(&site.base, &admin, &csrf, email, name).await;
    }

    // 1. The lab head creates a billing project and makes the postdoc a workspace creator.
    let head = Browser::open().await;
    sign_in(&head, &site.base, "head@lab.org").await;
    head.click(Locator::LinkText("Billing")).await;
    head.fill("#project-name", "smith-lab").await;
    head.click(Locator::XPath("//form//button[normalize-space()='Create']"))
        .await;
    head.click(Locator::LinkText("smith-lab")).await;
    head.fill("#billing-email", "postdoc@lab.org").await;
    head.click(Locator::XPath("//form//button[normalize-space()='Add']"))
        .await;
    head.wait_for_text("[role=status].alert", "Added postdoc@lab.org.")
        .await;
    head.screenshot("billing-project-page").await;

    // 2. The postdoc creates a workspace there and gives the coworker writer + can-compute.
    let postdoc = Browser::open().await;
    sign_in(&postdoc, &site.base, "postdoc@lab.org").await;
    create_workspace(&postdoc, &site.base, "smith-lab", "Tumour atlas", false).await;
    postdoc
        .click(Locator::XPath(
            "//div[@role='toolbar']/button[normalize-space()='Share']",
        ))
        .await;
    postdoc.fill("#share-search", "coworker@lab.org").await;
    postdoc
        .wait_for_text(".suggestion strong", "Cory Coworker")
        .await;
    postdoc
        .client
        .find(Locator::Css("#share-new-role"))
        .await
        .unwrap()
        .select_by_value("writer")
        .await
        .unwrap();
    postdoc.click(Locator::Css(".suggestion")).await;
    let compute = postdoc
        .client
        .find(Locator::Css(
            "input[aria-label='Cory Coworker can compute']",
        ))
        .await
        .unwrap();
    assert!(
        compute.is_selected().await.unwrap(),
        "a writer added by an owner can compute"
    );
    postdoc
        .click(Locator::XPath("//button[normalize-space()='Save changes']"))
        .await;
    postdoc
        .wait_for_text(".dialog [role=status].alert", "Saved.")
        .await;
    postdoc
        .click(Locator::XPath("//button[normalize-space()='Close']"))
        .await;
    let workspace = format!("{}/workspaces/smith-lab/tumour-atlas", site.base);

    // 3. The coworker can edit and launch, but the share action is refused with its reason.
    let coworker = Browser::open().await;
    sign_in(&coworker, &site.base, "coworker@lab.org").await;
    coworker.goto(&workspace).await;
    coworker
        .wait_for_text("main h1 .ws-title", "Tumour atlas")
        .await;
    assert!(action(&coworker, "Edit").await.0);
    let (may_share, why) = action(&coworker, "Share").await;
    assert!(!may_share);
    assert_eq!(
        why,
        "Sharing needs the can-share permission, which you do not have here."
    );
    // A writer sees who else is here (the ACL, with the refusals of its plan, reads back).
    coworker.wait_for("ul.collaborators li").await;
    coworker.screenshot("lab-coworker-cannot-share").await;

    // 4. An unrelated researcher creates a managed group with a student.
    let teacher = Browser::open().await;
    sign_in(&teacher, &site.base, "teacher@school.org").await;
    teacher.click(Locator::LinkText("Groups")).await;
    teacher.fill("#group-name", "intro-students").await;
    teacher
        .click(Locator::XPath(
            "//form//button[normalize-space()='Create group']",
        ))
        .await;
    teacher.click(Locator::LinkText("intro-students")).await;
    teacher.fill("#member-email", "student@school.org").await;
    teacher
        .click(Locator::XPath("//form//button[normalize-space()='Add']"))
        .await;
    teacher
        .wait_for_text("[role=status].alert", "Added student@school.org.")
        .await;
    teacher.screenshot("group-page").await;

    // 5. The postdoc grants the group reader.
    postdoc.goto(&workspace).await;
    postdoc
        .click(Locator::XPath(
            "//div[@role='toolbar']/button[normalize-space()='Share']",
        ))
        .await;
    postdoc.fill("#share-search", "group:intro-students").await;
    postdoc
        .click(Locator::XPath(
            "//div[@class='share-add-row']/button[normalize-space()='Add']",
        ))
        .await;
    postdoc
        .click(Locator::XPath("//button[normalize-space()='Save changes']"))
        .await;
    postdoc
        .wait_for_text(".dialog [role=status].alert", "Saved.")
        .await;

    // 6. The group's members, its admin included, read and nothing more.
    let student = Browser::open().await;
    sign_in(&student, &site.base, "student@school.org").await;
    for member in [&teacher, &student] {
        member.goto(&workspace).await;
        member
            .wait_for_text("main h1 .ws-title", "Tumour atlas")
            .await;
        member.wait_for_text(".card-meta strong", "Reader").await;
        for refused in ["Share", "Edit", "Lock", "Delete"] {
            let (allowed, why) = action(member, refused).await;
            assert!(
                !allowed && !why.is_empty(),
                "{refused} is refused with a reason"
            );
        }
        // Pressing a refused action says why in text, not only in a tooltip.
        let (_, why_not_edit) = action(member, "Edit").await;
        member.click(Locator::Id("action-edit")).await;
        member
            .wait_for_text_containing(".action-reason", &why_not_edit)
            .await;
        assert!(action(member, "Duplicate").await.0, "readers may duplicate");
    }
    student
        .click(Locator::XPath(
            "//button[normalize-space()='Why do I have this access?']",
        ))
        .await;
    student
        .wait_for_text(".why li strong", "Member of group intro-students")
        .await;

    // 7. The lab head owns the workspace through the billing project.
    head.goto(&workspace).await;
    head.wait_for_text("main h1 .ws-title", "Tumour atlas")
        .await;
    head.wait_for_text(".card-meta strong", "Owner").await;
    assert!(action(&head, "Delete").await.0 && action(&head, "Share").await.0);
    head.screenshot("lab-head-project-owner").await;

    for browser in [head, postdoc, coworker, teacher, student] {
        browser.close().await;
    }
}
