// pdq-bench: single-thread medians of hashmark's PDQ, one JSON object per input file;
// pdq_bench.py runs the reference (Pillow + pdqhash) beside it on the same files.
//
//   pdq-bench [--reps N] FILE.ppm...              hash only, on decoded buffers
//   pdq-bench --decode [--reps N] IMAGE...        end to end: read bytes, decode, hash
//   pdq-bench --survey IMAGE...                   fast-path candidates' distance to the exact hash

import Foundation

var args = Array(CommandLine.arguments.dropFirst())
var reps = 15
if let i = args.firstIndex(of: "--reps"), i + 1 < args.count, let n = Int(args[i + 1]) {
    reps = max(1, n)
    args.removeSubrange(i...(i + 1))
}
var mode = "hash"
if let first = args.first, first == "--decode" || first == "--survey" {
    mode = String(first.dropFirst(2))
    args.removeFirst()
}
guard !args.isEmpty else {
    FileHandle.standardError.write(Data("usage: pdq-bench [--decode|--survey] [--reps N] FILE...\n".utf8))
    exit(64)
}
for path in args {
    do {
        let object: [String: Any]
        switch mode {
        case "decode": object = try decodeBench(path, reps: reps)
        case "survey": object = try survey(path)
        default: object = try hashBench(path, reps: reps)
        }
        let json = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        print(String(decoding: json, as: UTF8.self))
    } catch {
        FileHandle.standardError.write(Data("\(path): \(error)\n".utf8))
        exit(1)
    }
}
