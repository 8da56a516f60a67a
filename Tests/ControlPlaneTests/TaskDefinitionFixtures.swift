import Foundation
@testable import ControlPlane

/// Shared fixtures for the TaskDefinition*Tests.
enum TaskDefinitionFixtures {
    /// A realistic RegisterTaskDefinition body: a busybox web server with a health check, a sidecar
    /// that waits for it to be HEALTHY, a host volume and an empty volume, linuxParameters, and
    /// members Wharf ignores (tags, runtimePlatform, an unknown member).
    static let webWithSidecar = #"""
    {
      "family": "web-app",
      "taskRoleArn": "arn:aws:iam::123456789012:role/web-task",
      "executionRoleArn": "arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
      "networkMode": "awsvpc",
      "requiresCompatibilities": ["EC2"],
      "cpu": "0.5 vCPU",
      "memory": "1 GB",
      "runtimePlatform": { "cpuArchitecture": "X86_64", "operatingSystemFamily": "LINUX" },
      "tags": [ { "key": "team", "value": "edge" } ],
      "someFutureMember": { "ignored": true },
      "volumes": [
        { "name": "site", "host": { "sourcePath": "/srv/www" } },
        { "name": "scratch" }
      ],
      "containerDefinitions": [
        {
          "name": "web",
          "image": "busybox:1.36",
          "cpu": 256,
          "memory": 256,
          "memoryReservation": 128,
          "essential": true,
          "entryPoint": ["/bin/sh", "-c"],
          "command": ["httpd -f -p 8080 -h /var/www"],
          "workingDirectory": "/var/www",
          "user": "www-data",
          "environment": [ { "name": "MODE", "value": "prod" }, { "name": "LANG", "value": "C.UTF-8" } ],
          "portMappings": [
            { "containerPort": 8080, "hostPort": 8080, "protocol": "tcp", "name": "http", "appProtocol": "http" },
            { "containerPortRange": "9000-9002", "protocol": "udp" }
          ],
          "mountPoints": [
            { "sourceVolume": "site", "containerPath": "/var/www", "readOnly": true },
            { "sourceVolume": "scratch", "containerPath": "/tmp/scratch" }
          ],
          "healthCheck": {
            "command": ["CMD-SHELL", "wget -q -O /dev/null http://127.0.0.1:8080/ || exit 1"],
            "interval": 10,
            "retries": 5
          },
          "linuxParameters": {
            "capabilities": { "add": ["NET_BIND_SERVICE"], "drop": ["NET_RAW", "MKNOD"] },
            "initProcessEnabled": true
          },
          "ulimits": [ { "name": "nofile", "softLimit": 4096, "hardLimit": 8192 } ],
          "readonlyRootFilesystem": true,
          "stopTimeout": 10,
          "logConfiguration": { "logDriver": "json-file", "options": { "max-size": "10m", "max-file": "3" } },
          "dockerLabels": { "com.example.role": "web" }
        },
        {
          "name": "log-shipper",
          "image": "registry.local:5000/shipper@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
          "memoryReservation": 64,
          "essential": false,
          "command": ["tail", "-F", "/tmp/scratch/access.log"],
          "dependsOn": [ { "containerName": "web", "condition": "HEALTHY" } ],
          "volumesFrom": [ { "sourceContainer": "web", "readOnly": true } ]
        }
      ]
    }
    """#

    static var webWithSidecarDefinition: TaskDefinition {
        get throws { try TaskDefinition.decode(from: Data(webWithSidecar.utf8)) }
    }

    /// A minimal valid definition to mutate in validation tests.
    static func minimal() -> TaskDefinition {
        TaskDefinition(
            family: "app",
            networkMode: "awsvpc",
            containerDefinitions: [
                ContainerDefinition(name: "main", image: "busybox", memory: 128),
                ContainerDefinition(name: "side", image: "busybox", memory: 64, essential: false),
            ]
        )
    }
}
