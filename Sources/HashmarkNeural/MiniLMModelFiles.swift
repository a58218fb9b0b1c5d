/// The sentence-embedding model all-MiniLM-L6-v2 (Apache-2.0), as converted by
/// `Scripts/minilm/convert.py` into `Models/minilm-l6-v2/` (`model.json`, `weights.bin`,
/// `vocab.txt`). This target holds model inference only: tokenizer and forward pass, bytes in,
/// vectors out; reading the files is the caller's.
public enum MiniLMModelFiles {
    /// The folder under `Models/` that holds the converted files.
    public static let folder = "minilm-l6-v2"
    /// `format` in `model.json`.
    public static let format = "hashmark.weights/1"
}
