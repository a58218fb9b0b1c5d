import HashmarkMedia

/// The evaluation's audio edits: what issue #18 names, each a family of its own so the bar
/// (≥ 90 % per transform) is read per edit.
public struct AudioEditSuite: Sendable {
    public struct Case: Sendable, Hashable {
        public var name: String
        /// The family the report groups it under (`reencode`, `noise`, `filter`, `tempo`, `pitch`,
        /// `speed`, `excerpt`, `mix`).
        public var family: String
        public var strength: Double
        public var edit: AudioEdit
    }

    public var cases: [Case]

    /// Seconds of the work in an excerpt, and of the new track around it.
    public static let excerptSeconds = 10.0
    public static let trackSeconds = 40.0

    public static let standard = AudioEditSuite(cases: [
        Case(name: "mp3-low", family: "reencode", strength: 0.1, edit: .reencode(.mp3, quality: 0.1)),
        Case(name: "ogg-low", family: "reencode", strength: 0.1, edit: .reencode(.ogg, quality: 0.1)),
        Case(name: "noise-20db", family: "noise", strength: 20, edit: .noise(snrDB: 20)),
        Case(name: "noise-15db", family: "noise", strength: 15, edit: .noise(snrDB: 15)),
        Case(name: "noise-10db", family: "noise", strength: 10, edit: .noise(snrDB: 10)),
        Case(name: "band-300-3400", family: "filter", strength: 3400, edit: .bandLimit(lowHz: 300, highHz: 3400)),
        Case(name: "tempo-0.95", family: "tempo", strength: 0.95, edit: .tempo(0.95)),
        Case(name: "tempo-1.05", family: "tempo", strength: 1.05, edit: .tempo(1.05)),
        Case(name: "pitch-0.95", family: "pitch", strength: 0.95, edit: .pitch(0.95)),
        Case(name: "pitch-1.05", family: "pitch", strength: 1.05, edit: .pitch(1.05)),
        Case(name: "speed-0.95", family: "speed", strength: 0.95, edit: .speed(0.95)),
        Case(name: "speed-1.05", family: "speed", strength: 1.05, edit: .speed(1.05)),
        Case(name: "excerpt-10s-in-40s", family: "excerpt", strength: excerptSeconds,
             edit: .excerpt(seconds: excerptSeconds, trackSeconds: trackSeconds)),
        Case(name: "mix-under-0db", family: "mix", strength: 0, edit: .mix(gainDB: 0)),
        Case(name: "mix-under-3db", family: "mix", strength: 3, edit: .mix(gainDB: 3)),
    ])
}
