/// The page's only stylesheet, inlined: the view must open offline, from an e-mail attachment.
enum HTMLStyle {
    static let css = """
        *{box-sizing:border-box}
        body{margin:0;background:#f4f5f7;color:#1d2329;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif}
        main{max-width:1120px;margin:0 auto;padding:24px}
        code{font:13px/1.3 ui-monospace,"DejaVu Sans Mono",monospace;word-break:break-all}
        .banner{border-radius:10px;padding:20px 24px;color:#fff;margin-bottom:20px}
        .banner .verdict{font-size:34px;font-weight:800;letter-spacing:.06em}
        .banner .summary{font-size:17px;margin-top:2px}
        .banner .meta{opacity:.9;margin-top:8px}
        .banner code{color:#fff}
        .verdict-infringing{background:#b3261e}
        .verdict-clear{background:#1e7b3a}
        .verdict-error{background:#a35a00}
        section{background:#fff;border:1px solid #dde1e6;border-radius:10px;padding:16px 20px;margin-bottom:16px}
        section.match{border-left:6px solid #6b7785}
        h2{font-size:19px;margin:0 0 10px}
        h3{font-size:16px;margin:18px 0 8px}
        h4{font-size:13px;margin:0 0 6px;color:#4a5561;font-weight:600}
        table{border-collapse:collapse;margin:4px 0 10px}
        .facts th{text-align:left;font-weight:600;color:#4a5561;padding:3px 16px 3px 0;vertical-align:top;white-space:nowrap}
        .facts td{padding:3px 0}
        .thresholds th,.thresholds td{border:1px solid #dde1e6;padding:3px 10px;text-align:left}
        .pair{display:flex;gap:20px;flex-wrap:wrap;align-items:flex-start}
        figure{margin:0;flex:1 1 0;min-width:260px}
        figure.missing{overflow-wrap:normal;word-break:keep-all;border:2px dashed #c3c9d0;border-radius:8px;padding:24px;color:#4a5561;min-height:120px}
        .frame{position:relative;border:1px solid #c3c9d0;background:#eee}
        .frame img{display:block}
        .overlay{position:absolute;left:0;top:0;overflow:hidden}
        .audio{display:flex;flex-direction:column;gap:12px}
        svg.outline{width:100%;height:60px;background:#f4f6f8;border:1px solid #dde1e6;border-radius:4px}
        .outline .bar{fill:#4a5561}
        .outline .segment{fill:rgba(255,214,0,.55)}
        .region{fill:rgba(255,214,0,.08);stroke:#ffd600;stroke-width:3;stroke-dasharray:8 4}
        figcaption{font-size:13px;margin-top:6px}
        .passage{flex:1 1 0;min-width:300px;border:1px solid #dde1e6;border-radius:8px;padding:10px 12px;background:#fbfbfc}
        .passage .text{white-space:pre-wrap;margin:0;font-family:Georgia,"DejaVu Serif",serif;overflow-wrap:anywhere}
        .passage .context{color:#7a838d}
        .passage .span{background:#eef3ff;box-shadow:0 0 0 1px #b8c9f0}
        mark{background:#ffe066;color:inherit;padding:0 1px;border-radius:2px}
        .dim{color:#7a838d;font-weight:normal}
        table.pairs{border-collapse:collapse;width:100%;margin:6px 0 12px}
        table.pairs td,table.pairs th{border:1px solid #dde1e6;padding:4px 8px;vertical-align:top;text-align:left}
        table.pairs td:first-child,table.pairs td:last-child{width:45%;font-family:Georgia,"DejaVu Serif",serif}
        .hint{color:#4a5561;font-size:13px}
        .rule{font-weight:600}
        .sig{font-weight:700;padding:8px 12px;border-radius:6px}
        .sig-valid{background:#e3f4e8;color:#1e7b3a}
        .sig-invalid{background:#fbe4e2;color:#b3261e}
        .sig-unchecked{background:#fff3d6;color:#7a4500}
        .notes li{margin:3px 0}
        footer{color:#7a838d;font-size:12px;margin:24px 0}
        """
}
