import Foundation
import Testing

/// `hashmark eval --end-to-end`: the generated cases also go through a real `hashmark watch`;
/// every report must be signed, ledgered and agree with the in-process verdict.
@Suite("eval --end-to-end", .timeLimit(.minutes(15)))
struct EvalEndToEndTests {
    @Test func daemonReportsAgreeWithTheInProcessVerdicts() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("hashmark-e2e-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        // The detection bar is not under test here (4 works per modality are too few to say
        // anything): --min-tpr 0 --max-fpr 1 leave only the end-to-end checks able to fail the run.
        let r = try CLI.run(["eval", "--works", "4", "--seed", "3", "--end-to-end", "--min-tpr", "0", "--max-fpr", "1",
                             "--out", out.path], cwd: CLI.repoRoot)
        #expect(r.status == 0, "\(r.stdout.suffix(1500))\n\(r.stderr.suffix(1500))")
        #expect(r.stdout.contains("## End to end (`hashmark watch`)"))
        let data = try Data(contentsOf: out.appendingPathComponent("report.json"))
        let report = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let e2e = try #require(report["endToEnd"] as? [String: Any])
        let cases = try #require(e2e["cases"] as? Int)
        #expect(cases > 20)
        #expect(e2e["verifiedReports"] as? Int == cases)
        #expect(e2e["missing"] as? Int == 0)
        #expect(e2e["agreeing"] as? Int == cases)
        #expect(e2e["ledgerValid"] as? Bool == true)
        let modalities = try #require(report["modalities"] as? [[String: Any]])
        // Audio too: the daemon's sandboxed workers decode and match recordings like the engine.
        #expect(Set(modalities.compactMap { $0["modality"] as? String }) == ["image", "text", "audio"])
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("roc.svg").path))
        // The report names the image descriptor it ran with: the repository's model folder.
        let descriptorManifest = try Data(contentsOf: CLI.repoRoot.appendingPathComponent("Models/image-descriptor/model.json"))
        let shipped = try #require(try JSONSerialization.jsonObject(with: descriptorManifest) as? [String: Any])
        let used = try #require(report["descriptorModel"] as? [String: Any])
        #expect(used["id"] as? String == shipped["model"] as? String)
        #expect(used["sha256"] as? String == shipped["weightsSha256"] as? String)
        #expect(r.stdout.contains("- Image descriptor: `\(used["id"] as? String ?? "?")`"))
    }
}
