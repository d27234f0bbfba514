import Foundation
import Pipeline
import Rules
import Store
import Testing
import TraceJoinCore
import TraceJoinTesting

/// Problems on one real minute of TrainTicket (../shared/samples/nezha-trainticket), Spring services:
/// one root cause is one problem whatever decided each incident's class, and the Spring failures in
/// it get their class rather than `code_defect` or `unknown`.
@Suite struct RealDataProblemTests {
    static func store() throws -> (IncidentStore, TemporaryFolder) {
        let folder = try TemporaryFolder()
        var configuration = BatchConfiguration(inputs: [
            FixturePaths.shared("samples/nezha-trainticket/logs"), FixturePaths.shared("samples/nezha-trainticket/spans"),
        ])
        configuration.databasePath = folder.file("problems.db")
        _ = try BatchRunner(configuration: configuration).run()
        return (try IncidentStore.openExisting(path: configuration.databasePath), folder)
    }

    @Test("each root cause (service, operation, message template) of the real minute is one problem, not split by class")
    func oneProblemPerRootCause() throws {
        let (store, folder) = try Self.store()
        defer { folder.remove() }
        let incidents = try store.incidents(IncidentFilter())
        var fingerprints: [String: Set<String>] = [:]
        for incident in incidents {
            let rootCause = try #require(incident.rootCause)
            let key = [rootCause.service, rootCause.name, Fingerprint.normalize(rootCause.message)].joined(separator: " | ")
            let traceKey = try #require(try store.traceKeys(for: .full(incident.traceID)).first)
            let classification = try #require(try store.classification(traceKey: traceKey))
            fingerprints[key, default: []].insert(classification.fingerprint)
        }
        #expect(fingerprints.values.allSatisfy { $0.count == 1 }, "\(fingerprints)")
        let problems = try store.problems(IncidentFilter())
        #expect(problems.count == fingerprints.count)
        #expect(problems.reduce(0) { $0 + $1.count } == incidents.count)
    }

    @Test("Spring Cloud LoadBalancer's `No instances available for …` is upstream, not a code defect")
    func noInstancesIsUpstream() throws {
        let (store, folder) = try Self.store()
        defer { folder.remove() }
        let problems = try store.problems(IncidentFilter())
        let noInstances = problems.filter { $0.rootCause?.message.contains("No instances available for") == true }
        #expect(noInstances.count == 3)
        #expect(noInstances.allSatisfy { $0.errorClass == "upstream" && $0.ruleID == "classify.spring-no-instances" })
        // The others are application messages (`foodStoresListResult is null`, `Order Status Wrong`)
        // that no shipped rule claims to understand.
        #expect(problems.filter { $0.errorClass == "unknown" }.count == 3)
        #expect(problems.count == 6)
    }
}
