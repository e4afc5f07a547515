#!/usr/bin/env bash
# Builds the standalone desktop app: `make bundle`.
#
#   dist/dataflow-studio/                 the PyInstaller onedir bundle (run dataflow-studio in it)
#   dist/AppDir/                          the same, laid out for appimagetool (Linux)
#   dist/dataflow-studio-VERSION-linux-ARCH.tar.gz
#
# Needs only the project's .venv (packaging/devenv.sh; PyInstaller is in it).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
packaging/devenv.sh
venv="$repo/.venv/bin"
version="$("$venv/python" -c 'import studio; print(studio.__version__)')"
arch="$(uname -m)"

find resources -name __pycache__ -type d -prune -exec rm -rf {} +
"$venv/pyinstaller" packaging/dataflow-studio.spec --noconfirm --log-level WARN \
    --distpath dist --workpath build/pyinstaller

appdir=dist/AppDir
rm -rf "$appdir"
mkdir -p "$appdir/usr/lib" "$appdir/usr/bin" "$appdir/usr/share/applications"
cp -a dist/dataflow-studio "$appdir/usr/lib/dataflow-studio"
ln -s ../lib/dataflow-studio/dataflow-studio "$appdir/usr/bin/dataflow-studio"
cp packaging/linux/AppRun "$appdir/AppRun"
cp packaging/linux/dataflow-studio.desktop "$appdir/dataflow-studio.desktop"
cp packaging/linux/dataflow-studio.desktop "$appdir/usr/share/applications/"
cp resources/icons/dataflow-studio.svg "$appdir/dataflow-studio.svg"
cp resources/icons/hicolor/256x256/apps/dataflow-studio.png "$appdir/.DirIcon"
for size_dir in resources/icons/hicolor/*; do
    mkdir -p "$appdir/usr/share/icons/hicolor/$(basename "$size_dir")/apps"
    cp "$size_dir/apps/dataflow-studio.png" "$appdir/usr/share/icons/hicolor/$(basename "$size_dir")/apps/"
done
mkdir -p "$appdir/usr/share/icons/hicolor/scalable/apps"
cp resources/icons/dataflow-studio.svg "$appdir/usr/share/icons/hicolor/scalable/apps/"

archive="dist/dataflow-studio-$version-linux-$arch.tar.gz"
tar -C dist -czf "$archive" dataflow-studio
echo "bundle:  dist/dataflow-studio/dataflow-studio ($(du -sh dist/dataflow-studio | cut -f1) on disk)"
echo "archive: $archive ($(du -h "$archive" | cut -f1))"
echo "AppDir:  $appdir (appimagetool $appdir makes an AppImage)"
