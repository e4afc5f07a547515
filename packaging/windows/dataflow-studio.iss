; Inno Setup script for the per-user Windows installer (packaging/build.py runs iscc on it).
; Per-user: installs under %LOCALAPPDATA%\Programs without administrator rights.
#ifndef Version
  #define Version "0.0.0"
#endif
#ifndef Source
  #define Source "..\..\dist\dataflow-studio"
#endif

[Setup]
AppId={{6C2A4F0E-2B9B-4E54-9E57-3F4D2A7C1D11}
AppName=Dataflow Studio
AppVersion={#Version}
AppPublisher=Dataflow Studio team
DefaultDirName={localappdata}\Programs\Dataflow Studio
DefaultGroupName=Dataflow Studio
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputBaseFilename=dataflow-studio-{#Version}-windows-setup
Compression=lzma2
SolidCompression=yes
UninstallDisplayIcon={app}\Dataflow Studio.exe
ChangesEnvironment=yes

[Tasks]
Name: "desktopicon"; Description: "Create a desktop shortcut"; Flags: unchecked
Name: "addtopath"; Description: "Add the studio command to PATH (for this user)"; Flags: unchecked

[Files]
Source: "{#Source}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\Dataflow Studio"; Filename: "{app}\Dataflow Studio.exe"
Name: "{userdesktop}\Dataflow Studio"; Filename: "{app}\Dataflow Studio.exe"; Tasks: desktopicon

[Registry]
Root: HKCU; Subkey: "Environment"; ValueType: expandsz; ValueName: "Path"; \
    ValueData: "{olddata};{app}"; Tasks: addtopath; Check: NeedsAddPath(ExpandConstant('{app}'))

[Run]
Filename: "{app}\Dataflow Studio.exe"; Description: "Open Dataflow Studio"; \
    Flags: nowait postinstall skipifsilent

[Code]
function NeedsAddPath(Dir: string): Boolean;
var
  Current: string;
begin
  if not RegQueryStringValue(HKCU, 'Environment', 'Path', Current) then
    Result := True
  else
    Result := Pos(';' + Uppercase(Dir) + ';', ';' + Uppercase(Current) + ';') = 0;
end;
