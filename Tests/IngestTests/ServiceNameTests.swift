import Ingest
import Testing

@Suite struct ServiceNameTests {
    static let podFolder = "/var/log/pods/shop_checkout-7d9f8b6c4-x2x9z_0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
    static let containerID = "3f4b2c1d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b"

    @Test(
        "a service is read from common log file names",
        arguments: [
            ("payment-service.log", "payment-service"),
            ("payment-service.log.2.gz", "payment-service"),
            ("/var/log/shop/payment-service.log.1", "payment-service"),
            ("payment-service.log-20261123", "payment-service"),
            ("payment-service.log-20261123.gz", "payment-service"),
            ("payment-service-2026-11-23.log", "payment-service"),
            ("payment_service_20261123.log.gz", "payment_service"),
            ("order-service.2026-11-23.log", "order-service"),
            ("checkout.json.log", "checkout"),
            ("worker-2.log", "worker-2"),
            ("spans/order-service.otlp.jsonl", "order-service"),
            ("api-gateway.access.log.3", "api-gateway"),
            ("inventory.stderr.log", "inventory"),
            ("/srv/billing/2026-11-23.log", "billing"),
        ])
    func fileNames(path: String, expected: String) {
        #expect(ServiceName.fromPath(path) == expected)
    }

    @Test("Kubernetes container and pod log paths give the container name")
    func kubernetes() {
        #expect(
            ServiceName.fromPath(
                "/var/log/containers/checkout-7d9f8b6c4-x2x9z_shop_checkout-api-\(Self.containerID).log")
                == "checkout-api")
        #expect(
            ServiceName.fromPath(
                Self.podFolder + "/checkout-api/0.log")
                == "checkout-api")
        #expect(
            ServiceName.fromPath(
                Self.podFolder + "/checkout-api/3.log.20261123-101010.gz"
            ) == "checkout-api")
    }

    @Test("a generic file name falls back to its folder, then to itself")
    func genericNames() {
        #expect(ServiceName.fromPath("/var/log/nginx/access.log") == "nginx")
        #expect(ServiceName.fromPath("/var/log/billing/current") == "billing")
        #expect(ServiceName.fromPath("logs/app.json.log") == "app")
        #expect(ServiceName.fromPath("app.json.log") == "app")
    }

    @Test(
        "names that say nothing give nil",
        arguments: [
            "0.log", "stdout.log", "/var/lib/docker/containers/\(containerID)/\(containerID)-json.log", "logs/current",
        ])
    func nothingUsable(path: String) {
        #expect(ServiceName.fromPath(path) == nil)
    }
}
