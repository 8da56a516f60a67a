import Dashboard
import Foundation
import XCTest

/// The page as a person sees it: rendered by headless Chromium (Debian's `chromium`) from a
/// live load balancer, after its script fetched and drew the data. A screenshot is kept.
final class DashboardBrowserTests: XCTestCase {
    /// CSS pixels of the screenshot.
    static let screenshotWidth = 1400
    static let screenshotHeight = 1650

    /// Next to the test bundle, inside the build's scratch directory.
    static var screenshotPath: String {
        let bundle = Bundle(for: DashboardBrowserTests.self).bundleURL
        return bundle.deletingLastPathComponent().appendingPathComponent("dashboard-screenshot.png").path
    }

    func testPageShowsServicesFailingTargetFirstAndChart() throws {
        guard let chromium = Chromium.executable else {
            throw XCTSkip("chromium is not installed (apt-get install chromium); the page was not rendered")
        }
        let live = try LiveDashboard()
        defer { live.stop() }
        XCTAssertTrue(try live.waitUntilSettled(), "backend healthy and dead port unhealthy within \(LiveDashboard.settleTimeoutSeconds) s")
        XCTAssertEqual(try live.sendTraffic(count: 40), 40)
        XCTAssertTrue(live.waitForRequests(40), "the statistics hub counted the requests")
        let url = "http://127.0.0.1:\(live.dashboardPort)/"

        // What the page shows: the DOM without the script's own source text.
        let fullDOM = try Chromium.dumpDOM(url, executable: chromium)
        let dom = String(fullDOM[..<(fullDOM.range(of: "<script>")?.lowerBound ?? fullDOM.endIndex)])
        // The script ran and fetched the snapshot.
        XCTAssertTrue(dom.contains(#"class="dot live""#), "status shows a live update")
        XCTAssertFalse(dom.contains("loading…</div>"), "the alerts were rendered")

        // The failing target is flagged first, in red, at the top of the page.
        let attention = try XCTUnwrap(dom.range(of: #"<section id="attention" class="bad">"#), "attention section is red")
        let firstAlert = try XCTUnwrap(dom.range(of: #"<div class="alert "#, range: attention.upperBound..<dom.endIndex))
        XCTAssertTrue(dom[firstAlert.upperBound...].hasPrefix("critical"))
        let deadTarget = "127.0.0.1:\(live.deadPort)"
        let firstAlertText = dom[firstAlert.upperBound...].prefix(400)
        XCTAssertTrue(firstAlertText.contains(deadTarget) && firstAlertText.contains("Target.FailedHealthChecks"), String(firstAlertText))
        XCTAssertTrue(dom.contains("Attention: 1 failing"))
        let sections = ["attention", "clusters", "charts", "target-groups", "services", "tasks", "scaling"]
        let offsets = sections.map { dom.range(of: #"<section id="\#($0)""#)?.lowerBound }
        XCTAssertTrue(offsets.allSatisfy { $0 != nil })
        XCTAssertEqual(offsets.compactMap { $0 }, offsets.compactMap { $0 }.sorted(), "attention comes first")

        // Target group: the failing target's row is first and marked, with its red check cells.
        let groups = try XCTUnwrap(dom.range(of: #"<section id="target-groups">"#))
        let firstTargetRow = try XCTUnwrap(dom.range(of: #"<tr class="target"#, range: groups.upperBound..<dom.endIndex))
        let row = dom[firstTargetRow.lowerBound...].prefix(2000)
        XCTAssertTrue(row.hasPrefix(#"<tr class="target failing">"#))
        XCTAssertTrue(row.contains(deadTarget))
        XCTAssertTrue(row.contains(#"<span class="fail" title=""#))
        let passedCell = try NSRegularExpression(pattern: #"<span class="pass" title="[0-9:]+  passed \(200\)  [0-9.]+ ms">"#)
        XCTAssertNotNil(
            passedCell.firstMatch(in: dom, range: NSRange(dom.startIndex..., in: dom)),
            "the healthy target's passed checks, with their latency on hover")
        XCTAssertTrue(dom.contains("1/2</b> healthy"))
        XCTAssertTrue(dom.contains("40</b> 5xx of") == false && dom.contains("0</b> 5xx of 40"), "request count shown")

        // Services with their counts, deployments and events; tasks; activities.
        XCTAssertEqual(dom.components(separatedBy: #"<tr class="service"#).count - 1, 2)
        XCTAssertTrue(dom.contains("<b>web</b>") && dom.contains("<b>worker</b>"))
        XCTAssertTrue(dom.contains("(service web) has reached a steady state."))
        XCTAssertTrue(dom.contains("web:7"))
        XCTAssertTrue(dom.contains("1 of 2 desired tasks running (1 pending)"))
        XCTAssertTrue(dom.contains("10.88.0.5") && dom.contains("1h 2m"), "task IP and uptime")
        XCTAssertTrue(dom.contains("exit 137") && dom.contains("EssentialContainerExited"))
        XCTAssertTrue(dom.contains("Setting desired count to 3.") && dom.contains("triggered policy requests-per-target"))

        // The chart: request rate and running tasks drawn.
        XCTAssertTrue(dom.contains(#"<svg class="chart""#))
        let running = try XCTUnwrap(dom.range(of: #"<path class="running" d="M"#), "the task-count line has points")
        XCTAssertGreaterThan(dom[running.upperBound...].prefix(while: { $0 != "\"" }).count, 100)
        XCTAssertTrue(dom.contains(#"<path class="rps" d="M"#))

        let path = Self.screenshotPath
        try? FileManager.default.removeItem(atPath: path)
        try Chromium.screenshot(url, to: path, width: Self.screenshotWidth, height: Self.screenshotHeight, executable: chromium)
        let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
        XCTAssertGreaterThan(size, 10_000, "a rendered page, not a blank image")
        print("dashboard screenshot: \(path)")
    }
}
