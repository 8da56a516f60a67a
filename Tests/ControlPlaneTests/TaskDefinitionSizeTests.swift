import Testing
@testable import ControlPlane

@Suite("Task-level cpu/memory strings")
struct TaskDefinitionSizeTests {
    @Test(arguments: [
        ("256", 256), ("1024", 1024), ("1 vCPU", 1024), ("1 vcpu", 1024), ("1vCPU", 1024),
        ("0.5 vcpu", 512), (".25 vcpu", 256), ("2 VCPU", 2048), (" 4 vCPU ", 4096), ("0.125 vCPU", 128),
    ])
    func cpu(_ text: String, _ units: Int) {
        #expect(TaskSize.cpuUnits(text) == units)
    }

    @Test(arguments: ["", "abc", "1 core", "1.5.2 vCPU", "0.1 vCPU", "-1", "vCPU", "1 GB", ". vCPU"])
    func badCPU(_ text: String) {
        #expect(TaskSize.cpuUnits(text) == nil)
    }

    @Test(arguments: [
        ("512", 512), ("1GB", 1024), ("1 GB", 1024), ("2 GB", 2048), ("2GB", 2048), ("2gb", 2048),
        ("0.5 GB", 512), (".5GB", 512), ("30 GB", 30720),
    ])
    func memory(_ text: String, _ mib: Int) {
        #expect(TaskSize.memoryMiB(text) == mib)
    }

    @Test(arguments: ["", "2 TB", "1 vCPU", "lots", "0.0001 GB", "512 MiB"])
    func badMemory(_ text: String) {
        #expect(TaskSize.memoryMiB(text) == nil)
    }

    @Test func fargateTable() {
        #expect(TaskSize.isValidFargate(cpu: 256, memory: 512))
        #expect(TaskSize.isValidFargate(cpu: 256, memory: 2048))
        #expect(!TaskSize.isValidFargate(cpu: 256, memory: 3072))
        #expect(TaskSize.isValidFargate(cpu: 512, memory: 4096))
        #expect(!TaskSize.isValidFargate(cpu: 512, memory: 512))
        #expect(TaskSize.isValidFargate(cpu: 1024, memory: 8192))
        #expect(TaskSize.isValidFargate(cpu: 2048, memory: 16384))
        #expect(TaskSize.isValidFargate(cpu: 4096, memory: 30720))
        #expect(!TaskSize.isValidFargate(cpu: 4096, memory: 32768))
        #expect(TaskSize.isValidFargate(cpu: 8192, memory: 20480))
        #expect(!TaskSize.isValidFargate(cpu: 8192, memory: 17408))
        #expect(TaskSize.isValidFargate(cpu: 16384, memory: 122880))
        #expect(!TaskSize.isValidFargate(cpu: 16384, memory: 36864))
        #expect(!TaskSize.isValidFargate(cpu: 128, memory: 512))
    }
}
