import Foundation

/// Task-level `cpu` and `memory` as ECS takes them: strings.
///
/// Source: ECS API Reference, `RegisterTaskDefinition` `cpu` ("can be expressed as an integer using
/// CPU units (for example, 1024) or as a string using vCPUs (for example, 1 vCPU or 1 vcpu)") and
/// `memory` ("as an integer using MiB (for example, 1024) or as a string using GB (for example,
/// 1GB or 1 GB)"). On registration ECS converts both to the integer form; fractions such as
/// `".25 vCPU"` / `"0.5 GB"` are accepted as long as the result is a whole number.
public enum TaskSize {
    /// CPU units for `"256"`, `"1 vCPU"`, `"0.5 vcpu"`, `".25 vCPU"`; `nil` if not of that form.
    public static func cpuUnits(_ text: String) -> Int? {
        parse(text, unit: "vcpu", factor: 1024)
    }

    /// MiB for `"512"`, `"2 GB"`, `"2GB"`, `"0.5 GB"`; `nil` if not of that form.
    public static func memoryMiB(_ text: String) -> Int? {
        parse(text, unit: "gb", factor: 1024)
    }

    private static func parse(_ text: String, unit: String, factor: Int) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        if trimmed.allSatisfy(\.isASCIIDigit) {
            return Int(trimmed)
        }
        let numberPart = trimmed.prefix { $0.isASCIIDigit || $0 == "." }
        let unitPart = trimmed.dropFirst(numberPart.count).trimmingCharacters(in: .whitespaces)
        guard !numberPart.isEmpty, numberPart.contains(where: \.isASCIIDigit),
              numberPart.filter({ $0 == "." }).count <= 1,
              unitPart.lowercased() == unit,
              let value = Decimal(string: String(numberPart), locale: Locale(identifier: "en_US_POSIX"))
        else { return nil }
        let scaled = value * Decimal(factor)
        var rounded = Decimal()
        var copy = scaled
        NSDecimalRound(&rounded, &copy, 0, .plain)
        guard rounded == scaled, rounded <= Decimal(Int32.max) else { return nil }
        return NSDecimalNumber(decimal: rounded).intValue
    }

    // MARK: Fargate

    /// Memory (MiB) Fargate accepts for each task CPU value.
    ///
    /// Source: ECS API Reference, `TaskDefinition.memory` / `cpu`, and the Developer Guide's
    /// "Task CPU and memory" table for Linux: 256 → 512, 1024, 2048; 512 → 1024-4096 by 1024;
    /// 1024 → 2048-8192 by 1024; 2048 → 4096-16384 by 1024; 4096 → 8192-30720 by 1024;
    /// 8192 → 16384-61440 by 4096; 16384 → 32768-122880 by 8192.
    public static let fargateMemoryByCPU: [Int: [Int]] = [
        256: [512, 1024, 2048],
        512: Array(stride(from: 1024, through: 4096, by: 1024)),
        1024: Array(stride(from: 2048, through: 8192, by: 1024)),
        2048: Array(stride(from: 4096, through: 16384, by: 1024)),
        4096: Array(stride(from: 8192, through: 30720, by: 1024)),
        8192: Array(stride(from: 16384, through: 61440, by: 4096)),
        16384: Array(stride(from: 32768, through: 122880, by: 8192)),
    ]

    /// Whether Fargate has a task size of `cpu` units and `memory` MiB.
    public static func isValidFargate(cpu: Int, memory: Int) -> Bool {
        fargateMemoryByCPU[cpu]?.contains(memory) ?? false
    }

    /// Task-level CPU range for tasks on EC2 instances: 128 (0.125 vCPU) to 196608 (192 vCPU).
    /// Source: ECS API Reference, `RegisterTaskDefinition` `cpu`.
    public static let ec2CPURange: ClosedRange<Int> = 128...196_608
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
