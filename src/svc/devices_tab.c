/*
 * devices_tab.c: the SVC-10 fingerprint table: device and management web
 * interfaces by their login page title, Server header, authentication
 * realm or a marker only their own pages carry. Titles are compared whole
 * (equal, prefix or suffix), never as a word somewhere in a page, so a blog
 * post that mentions a product does not match.
 */
#include "svc/svc_int.h"

#define T(how, s)                                                                                  \
	{                                                                                          \
		DEV_W_TITLE, how, s, NULL                                                          \
	}
#define TB(how, s, b)                                                                              \
	{                                                                                          \
		DEV_W_TITLE, how, s, b                                                             \
	}
#define S(how, s)                                                                                  \
	{                                                                                          \
		DEV_W_SERVER, how, s, NULL                                                         \
	}
#define R(how, s)                                                                                  \
	{                                                                                          \
		DEV_W_REALM, how, s, NULL                                                          \
	}
#define B(s)                                                                                       \
	{                                                                                          \
		DEV_W_BODY, DEV_SUB, s, NULL                                                       \
	}
#define BB(s, b)                                                                                   \
	{                                                                                          \
		DEV_W_BODY, DEV_SUB, s, b                                                          \
	}
#define H(name)                                                                                    \
	{                                                                                          \
		DEV_W_HEADER, DEV_EQ, name, NULL                                                   \
	}

static const struct dev_fp fps[] = {
    /* ---- NAS */
    {"Synology",
     "DSM",
     DEV_NAS,
     {T(DEV_SUF, "- Synology DiskStation"), T(DEV_EQ, "Synology DiskStation"),
      BB("SYNO.SDS.", "webman/")}},
    {"Synology",
     "SRM",
     DEV_ROUTER,
     {T(DEV_SUF, "- Synology Router"), T(DEV_EQ, "Synology Router Manager")}},
    {"QNAP",
     "QTS",
     DEV_NAS,
     {T(DEV_PRE, "QNAP Turbo NAS"), TB(DEV_EQ, "QTS", "QNAP"),
      BB("/cgi-bin/authLogin.cgi", "QNAP")}},
    {"iXsystems", "TrueNAS", DEV_NAS, {T(DEV_EQ, "TrueNAS"), T(DEV_EQ, "FreeNAS")}},
    {"Proxmox", "Backup Server", DEV_NAS, {T(DEV_SUF, "Proxmox Backup Server")}},
    /* ---- hypervisors */
    {"Proxmox",
     "Virtual Environment",
     DEV_HYPERVISOR,
     {T(DEV_SUF, "- Proxmox Virtual Environment"), T(DEV_EQ, "Proxmox Virtual Environment"),
      S(DEV_PRE, "pve-api-daemon")}},
    {"VMware", "ESXi", DEV_HYPERVISOR, {B("ID_EESX_Welcome"), T(DEV_EQ, "VMware ESXi")}},
    {"VMware",
     "vCenter Server",
     DEV_HYPERVISOR,
     {B("ID_VC_Welcome"), T(DEV_PRE, "VMware vCenter"), T(DEV_EQ, "vSphere Web Client")}},
    {"Microsoft", "Windows Admin Center", DEV_HYPERVISOR, {T(DEV_EQ, "Windows Admin Center")}},
    {"Portainer", "Portainer", DEV_ADMIN_PANEL, {T(DEV_EQ, "Portainer")}},
    /* ---- out-of-band management */
    {"Dell",
     "iDRAC",
     DEV_BMC,
     {T(DEV_PRE, "Integrated Dell Remote Access Controller"), T(DEV_PRE, "iDRAC")}},
    {"HPE",
     "iLO",
     DEV_BMC,
     {T(DEV_PRE, "HPE iLO"), T(DEV_PRE, "iLO "), T(DEV_SUB, "Integrated Lights-Out"),
      S(DEV_PRE, "HP-iLO-Server")}},
    {"Supermicro", "IPMI", DEV_BMC, {TB(DEV_SUB, "Supermicro", "/cgi/login.cgi")}},
    {"AMI", "MegaRAC", DEV_BMC, {T(DEV_SUB, "MegaRAC")}},
    /* ---- routers */
    {"MikroTik",
     "RouterOS",
     DEV_ROUTER,
     {T(DEV_EQ, "RouterOS router configuration page"), TB(DEV_PRE, "RouterOS", "mikrotik")}},
    {"AVM", "FRITZ!Box", DEV_ROUTER, {T(DEV_EQ, "FRITZ!Box"), T(DEV_PRE, "FRITZ!Box ")}},
    {"DrayTek", "Vigor", DEV_ROUTER, {T(DEV_PRE, "Vigor Login"), TB(DEV_PRE, "Vigor", "DrayTek")}},
    {"TP-Link",
     "router",
     DEV_ROUTER,
     {R(DEV_PRE, "TP-LINK"), TB(DEV_PRE, "TP-LINK", "tplink"), TB(DEV_PRE, "TL-", "TP-Link")}},
    {"Netgear", "router", DEV_ROUTER, {R(DEV_PRE, "NETGEAR"), T(DEV_PRE, "NETGEAR Router")}},
    {"ASUS",
     "router",
     DEV_ROUTER,
     {T(DEV_EQ, "ASUS Login"), TB(DEV_PRE, "ASUS Wireless Router", "ASUS")}},
    {"Ubiquiti",
     "UniFi Network",
     DEV_ROUTER,
     {T(DEV_EQ, "UniFi Network"), T(DEV_EQ, "UniFi Controller"), T(DEV_EQ, "UniFi OS")}},
    {"Ubiquiti", "EdgeOS", DEV_ROUTER, {T(DEV_EQ, "EdgeOS")}},
    {"OpenWrt", "LuCI", DEV_ROUTER, {TB(DEV_SUB, "LuCI", "luci-static")}},
    {"DD-WRT", "router", DEV_ROUTER, {T(DEV_SUB, "DD-WRT")}},
    {"ZyXEL",
     "device",
     DEV_ROUTER,
     {T(DEV_PRE, "ZyXEL"), T(DEV_PRE, "ZyWALL"), R(DEV_PRE, "ZyXEL")}},
    {"Cisco", "IOS", DEV_ROUTER, {S(DEV_PRE, "cisco-IOS"), R(DEV_EQ, "level_15_access")}},
    {"Juniper", "J-Web", DEV_ROUTER, {T(DEV_SUB, "Juniper Web Device Manager")}},
    /* ---- firewalls and VPN gateways */
    {"Netgate",
     "pfSense",
     DEV_FIREWALL,
     {T(DEV_PRE, "pfSense - "), TB(DEV_SUF, "- Login", "pfSense")}},
    {"Deciso", "OPNsense", DEV_FIREWALL, {T(DEV_SUF, "| OPNsense"), T(DEV_EQ, "OPNsense")}},
    {"Fortinet", "FortiGate", DEV_FIREWALL, {T(DEV_PRE, "FortiGate"), B("ftnt-fortinet-grid")}},
    {"SonicWall",
     "SonicOS",
     DEV_FIREWALL,
     {T(DEV_PRE, "SonicWall"), T(DEV_PRE, "SonicWALL"), S(DEV_PRE, "SonicWALL")}},
    {"Cisco", "ASA", DEV_FIREWALL, {B("/+CSCOE+/")}},
    {"Palo Alto Networks",
     "GlobalProtect",
     DEV_FIREWALL,
     {T(DEV_EQ, "GlobalProtect Portal"), B("global-protect/login.esp")}},
    {"F5", "BIG-IP", DEV_FIREWALL, {T(DEV_PRE, "BIG-IP"), B("/tmui/login.jsp")}},
    {"Ivanti", "Connect Secure", DEV_FIREWALL, {B("/dana-na/")}},
    /* ---- printers */
    {"HP",
     "printer",
     DEV_PRINTER,
     {S(DEV_PRE, "HP HTTP Server"), T(DEV_PRE, "HP LaserJet"), T(DEV_PRE, "HP Color LaserJet"),
      T(DEV_PRE, "HP OfficeJet")}},
    {"Brother",
     "printer",
     DEV_PRINTER,
     {S(DEV_PRE, "debut/"), TB(DEV_PRE, "Brother ", "/general/status.html")}},
    {"Canon",
     "printer",
     DEV_PRINTER,
     {S(DEV_PRE, "CANON HTTP Server"), TB(DEV_PRE, "Remote UI", "Canon")}},
    {"Epson", "printer", DEV_PRINTER, {S(DEV_PRE, "EPSON"), TB(DEV_SUB, "Web Config", "EPSON")}},
    {"Lexmark", "printer", DEV_PRINTER, {S(DEV_PRE, "Lexmark"), T(DEV_PRE, "Lexmark ")}},
    {"Kyocera",
     "printer",
     DEV_PRINTER,
     {S(DEV_PRE, "KM-MFP-http"), T(DEV_SUB, "Command Center RX")}},
    {"Xerox",
     "printer",
     DEV_PRINTER,
     {T(DEV_SUB, "CentreWare Internet Services"), TB(DEV_PRE, "Xerox", "Xerox Corporation")}},
    {"Ricoh", "printer", DEV_PRINTER, {T(DEV_SUB, "Web Image Monitor")}},
    {"OpenPrinting", "CUPS", DEV_PRINTER, {T(DEV_SUF, "- CUPS"), S(DEV_PRE, "CUPS/")}},
    /* ---- cameras */
    {"Hikvision",
     "camera/NVR",
     DEV_CAMERA,
     {S(DEV_PRE, "App-webs/"), S(DEV_PRE, "DNVRS-Webs"), B("doc/page/login.asp")}},
    {"Dahua", "camera/NVR", DEV_CAMERA, {T(DEV_EQ, "WEB SERVICE")}},
    {"Axis", "camera", DEV_CAMERA, {BB("/axis-cgi/", "AXIS")}},
    /* ---- server administration panels */
    {"Webmin", "Webmin", DEV_ADMIN_PANEL, {T(DEV_SUB, "Login to Webmin"), S(DEV_PRE, "MiniServ")}},
    {"cPanel",
     "cPanel/WHM",
     DEV_ADMIN_PANEL,
     {S(DEV_PRE, "cpsrvd"), T(DEV_EQ, "cPanel Login"), T(DEV_EQ, "WHM Login")}},
    {"Plesk", "Plesk", DEV_ADMIN_PANEL, {T(DEV_PRE, "Plesk Obsidian"), T(DEV_PRE, "Plesk Onyx")}},
    {"phpMyAdmin", "phpMyAdmin", DEV_ADMIN_PANEL, {TB(DEV_SUB, "phpMyAdmin", "pma_username")}},
    {"Home Assistant", "Home Assistant", DEV_ADMIN_PANEL, {T(DEV_EQ, "Home Assistant")}},
    {"Grafana Labs", "Grafana", DEV_ADMIN_PANEL, {TB(DEV_EQ, "Grafana", "grafana")}},
    {"Jenkins", "Jenkins", DEV_ADMIN_PANEL, {H("X-Jenkins")}},
};

const struct dev_fp *dev_fps(size_t *n)
{
	*n = ARRAY_SIZE(fps);
	return fps;
}

const char *dev_kind_name(enum dev_kind k)
{
	static const char *const names[] = {"router",	"nas", "printer", "hypervisor",
					    "firewall", "bmc", "camera",  "admin-panel"};

	return (size_t)k < ARRAY_SIZE(names) ? names[k] : "device";
}
