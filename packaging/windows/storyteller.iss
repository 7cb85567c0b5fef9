; Inno Setup 6.3+ script (UTF-8, which 6.3+ reads without a BOM): a per-user installer (no administrator
; rights) for the PyInstaller bundle in build\bundle\storyteller\ (see packaging/README.md for the steps).
; Compile from the repository root:
;   "%ProgramFiles(x86)%\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 packaging\windows\storyteller.iss
; Result: dist\storyteller-VERSION-windows-x64-setup.exe. Installs to %LOCALAPPDATA%\Programs\Storyteller,
; adds a Start-menu entry and an uninstaller (Settings > Apps). Models and settings live in the user's
; AppData (platformdirs) and are kept on uninstall, like documents.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define Bundle "..\..\build\bundle\storyteller"

[Setup]
AppId={{E9CA9E95-99E4-4FDA-A439-3336806709D8}
AppName=Storyteller
AppVersion={#AppVersion}
AppVerName=이야기꾼 Storyteller {#AppVersion}
AppPublisher=The Storyteller authors
PrivilegesRequired=lowest
DefaultDirName={autopf}\Storyteller
DefaultGroupName=Storyteller
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
LicenseFile=..\..\LICENSE
SetupIconFile=..\..\resources\icons\storyteller.ico
UninstallDisplayIcon={app}\Storyteller.exe
UninstallDisplayName=이야기꾼 Storyteller
OutputDir=..\..\dist
OutputBaseFilename=storyteller-{#AppVersion}-windows-x64-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern

[Languages]
Name: "korean"; MessagesFile: "compiler:Languages\Korean.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\이야기꾼 Storyteller"; Filename: "{app}\Storyteller.exe"; Comment: "KoGPT2와 함께 한국어 이야기를 씁니다"
Name: "{autodesktop}\이야기꾼 Storyteller"; Filename: "{app}\Storyteller.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\Storyteller.exe"; Description: "{cm:LaunchProgram,이야기꾼 Storyteller}"; Flags: nowait postinstall skipifsilent
