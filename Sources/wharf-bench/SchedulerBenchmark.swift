// wharf-bench scheduler: placements per second of the Scheduler module over simulated container
// instances (issue: "placing 10,000 tasks over 1,000 simulated container instances with binpack
// and with spread: placements per second (goal: at least 10,000/s)"). Pure computation: no
// runtime, no files, no root.
//
//   wharf-bench scheduler [--instances N] [--tasks N] [--batch N] [--runs N]
//
// Each run starts from a fresh cluster and places --tasks tasks in requests of --batch tasks (10 is
// RunTask's largest count) on one ClusterState, as the control plane does; the cluster set-up is
// not timed. One line per scenario: the median placements/s over the runs, and min/max.
import Scheduler

struct SchedulerBenchmarkOptions {
    var instances = 1000
    var tasks = 10_000
    var batch = 10
    var runs = 5

    init(_ arguments: [String]) {
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            let value = iterator.next().flatMap { Int($0) }
            guard let value, value > 0 else { fail("scheduler: \(argument) needs a positive number") }
            switch argument {
            case "--instances": instances = value
            case "--tasks": tasks = value
            case "--batch": batch = value
            case "--runs": runs = value
            default: fail("usage: wharf-bench scheduler [--instances N] [--tasks N] [--batch N] [--runs N]")
            }
        }
    }
}

/// One measured placement configuration.
struct SchedulerScenario {
    var name: String
    var strategies: [PlacementStrategy]
    var constraints: [PlacementConstraint]
}

/// The simulated cluster: every instance 4 vCPU / 16 GiB, three Availability Zones and three
/// instance types in turn. A task (128 CPU units, 256 MiB) fits 32 times per instance, so
/// 1,000 instances hold 32,000 tasks and the 10,000 placed never run out.
func simulatedCluster(instances count: Int) -> [ContainerInstanceCandidate] {
    let zones = ["us-east-1a", "us-east-1b", "us-east-1c"]
    let types = ["m5.large", "m5.xlarge", "c5.xlarge"]
    return (0..<count).map { index in
        ContainerInstanceCandidate(
            arn: "arn:aws:ecs:us-east-1:000000000000:container-instance/bench/ci-\(index)",
            ec2InstanceId: "i-\(index)", agentVersion: "1.51.0", registeredAt: 1_700_000_000,
            remainingCPU: 4096, remainingMemory: 16_384, usedPorts: [HostPort(22)],
            attributes: [
                "ecs.availability-zone": zones[index % zones.count], "ecs.instance-type": types[(index / 3) % types.count],
                "ecs.os-type": "linux", "ecs.cpu-architecture": "x86_64",
            ])
    }
}

func schedulerScenarios() -> [SchedulerScenario] {
    let memberOf: PlacementConstraint
    do {
        memberOf = try PlacementConstraint(
            type: "memberOf", expression: "attribute:ecs.instance-type in [m5.large, m5.xlarge] and attribute:ecs.os-type == linux")
    } catch {
        fail("scheduler: the benchmark's constraint does not parse: \(error)")
    }
    return [
        SchedulerScenario(name: "binpack(memory)", strategies: [.binpack(.memory)], constraints: []),
        SchedulerScenario(name: "binpack(cpu)", strategies: [.binpack(.cpu)], constraints: []),
        SchedulerScenario(name: "spread(instanceId)", strategies: [.spread(.instanceId)], constraints: []),
        SchedulerScenario(name: "spread(AZ)+binpack(memory)", strategies: [.spreadAcrossAvailabilityZones, .binpack(.memory)], constraints: []),
        SchedulerScenario(
            name: "spread(AZ)+binpack(memory)+memberOf", strategies: [.spreadAcrossAvailabilityZones, .binpack(.memory)],
            constraints: [memberOf]),
    ]
}

func runSchedulerBenchmark(_ arguments: [String]) {
    let options = SchedulerBenchmarkOptions(arguments)
    let cluster = simulatedCluster(instances: options.instances)
    let task = TaskRequirement(family: "bench", group: "service:bench", cpu: 128, memory: 256)
    for scenario in schedulerScenarios() {
        var rates: [Double] = []
        var placed = 0
        var failures = 0
        // One untimed run first: faults in code and allocations.
        for run in 0...options.runs {
            var state = ClusterState(instances: cluster)
            var runPlaced = 0
            var runFailures = 0
            var request = 0
            let start = now()
            while runPlaced + runFailures < options.tasks {
                let count = min(options.batch, options.tasks - runPlaced - runFailures)
                let result: PlacementResult
                do {
                    result = try state.place(
                        count: count, requirement: task, strategies: scenario.strategies, constraints: scenario.constraints,
                        randomSeed: UInt64(run) << 32 | UInt64(request))
                } catch {
                    fail("scheduler: \(scenario.name): \(error)")
                }
                runPlaced += result.placements.count
                runFailures += result.unplacedCount
                request += 1
            }
            let seconds = Double(now() - start) / 1e9
            if run == 0 { continue }
            rates.append(Double(runPlaced) / seconds)
            placed = runPlaced
            failures = runFailures
        }
        let requests = (options.tasks + options.batch - 1) / options.batch
        let perRequest = 1e6 * Double(options.tasks) / median(rates) / Double(requests)
        emit(
            "wharf scheduler \(scenario.name) batch=\(options.batch): median=\(f1(median(rates))) placements/s"
                + " (min \(f1(rates.min() ?? .nan)), max \(f1(rates.max() ?? .nan)); \(options.runs) runs of \(options.tasks) tasks"
                + " on \(options.instances) instances; \(f1(perRequest)) us per request; placed \(placed), unplaced \(failures))")
    }
}
