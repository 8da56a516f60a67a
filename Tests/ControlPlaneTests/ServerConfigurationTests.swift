import ControlPlane
import Foundation
import Testing

@Suite("wharf serve configuration")
struct ServerConfigurationTests {
    @Test("configs/serve.yaml loads with its load balancer section")
    func exampleLoads() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let configuration = try ServerConfiguration.load(path: root.path + "/configs/serve.yaml")
        #expect(configuration.listen == "127.0.0.1:7080")
        #expect(configuration.accountID == "123456789012")
        #expect(configuration.loadBalancer.listeners.map(\.port) == [8080])
        #expect(configuration.loadBalancer.targetGroups.first?.healthCheck.intervalSeconds == 2)
        #expect(configuration.dashboard == "127.0.0.1:7081")
        #expect(configuration.scaleInStabilizationSeconds == 60)
    }

    @Test("dashboard and autoscaling keys are checked")
    func dashboardAndAutoscaling() throws {
        #expect(try ServerConfiguration.parse("dashboard: \"off\"\n", source: "test").dashboard == nil)
        let badAddress = #expect(throws: ServerConfiguration.Error.self) {
            try ServerConfiguration.parse("dashboard: localhost\n", source: "test")
        }
        #expect(badAddress?.field == "dashboard")
        let badWindow = #expect(throws: ServerConfiguration.Error.self) {
            try ServerConfiguration.parse("autoscaling:\n  scaleInStabilizationSeconds: 1\n", source: "test")
        }
        #expect(badWindow?.field == "autoscaling.scaleInStabilizationSeconds")
        #expect(badWindow?.line == 2)
    }

    @Test("errors name the field and line, inside the load balancer section too")
    func errorsNameFieldAndLine() {
        let unknown = #expect(throws: ServerConfiguration.Error.self) {
            try ServerConfiguration.parse("region: us-east-1\nlisten: 127.0.0.1:7080\nbogus: 1\n", source: "test")
        }
        #expect(unknown?.field == "bogus")
        #expect(unknown?.line == 3)  // lines count from 1
        let nested = #expect(throws: ServerConfiguration.Error.self) {
            try ServerConfiguration.parse("loadBalancer:\n  targetGroups:\n    - name: web\n      healthCheck:\n        intervalSeconds: 1\n", source: "test")
        }
        #expect(nested?.field == "loadBalancer.targetGroups[0].healthCheck.intervalSeconds")
        let listen = #expect(throws: ServerConfiguration.Error.self) {
            try ServerConfiguration.parse("listen: localhost:7080\n", source: "test")
        }
        #expect(listen?.field == "listen")
        #expect(listen?.line == 1)
        let account = #expect(throws: ServerConfiguration.Error.self) {
            try ServerConfiguration.parse("accountId: \"12\"\n", source: "test")
        }
        #expect(account?.field == "accountId")
    }

    @Test("target group ARNs are ELBv2-shaped, stable, and resolve back to the name")
    func targetGroupARNs() {
        let arn = LBTargetRegistrar.arn(group: "web", region: "us-east-1", accountID: "123456789012")
        #expect(arn.hasPrefix("arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/"))
        #expect(arn == LBTargetRegistrar.arn(group: "web", region: "us-east-1", accountID: "123456789012"))
        #expect(LBTargetRegistrar.groupName(arn) == "web")
        #expect(LBTargetRegistrar.groupName("web") == "web")
    }
}
