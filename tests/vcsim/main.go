// Command vcsim serves a simulated vCenter (govmomi's simulator, Debian's govmomi 0.24.2) whose
// inventory is exactly the one a JSON description lists, for the tests of the vCenter import.
//
//	vcsim [-cert FILE] DESCRIPTION.json   (or - / no argument: the description on standard input)
//
// It listens on 127.0.0.1 on a free port with TLS (a self-signed certificate for 127.0.0.1 and
// localhost, written as PEM to -cert FILE so that a client can trust it), prints one JSON line
// {"url": "https://127.0.0.1:PORT/sdk", "host": "127.0.0.1", "port": PORT, "cert": FILE} once
// it serves, and runs until SIGTERM/SIGINT, or until standard input closes when the description
// came from standard input.
//
// The description (every field optional unless said):
//
//	{"user": "administrator@vsphere.local", "password": "...",       the only login accepted
//	 "clusters": [{"name": "cl-a",                                    (required)
//	   "hosts": [{"name", "numCpuCores", "cpuMhz", "memorySize" (bytes),
//	              "connectionState": "connected"|"disconnected"|"notResponding",
//	              "inMaintenanceMode": bool, "noHardware": bool (summary.hardware unset)}],
//	   "ha": {"enabled": bool, "admissionControlEnabled": bool, "failoverLevel": n,
//	          "policy": {"type": "resources", "cpuPercent", "memoryPercent", "autoCompute", "failoverLevel"}
//	                  | {"type": "level", "failoverLevel", "slotCpu", "slotMemory"}
//	                  | {"type": "hosts", "hosts": [host names]}
//	                  | {"type": "unknown"}   (the base vim.cluster.DasAdmissionControlPolicy)},
//	   "drs": {"enabled": bool, "defaultVmBehavior": "fullyAutomated"|"partiallyAutomated"|"manual"},
//	   "vsan": bool,
//	   "datastores": [{"name", "kind": "vmfs"|"nfs"|"nfs41"|"vsan", "hosts": [names; default all]}]}],
//	 "switches": [{"name", "portGroups": [names]}],
//	 "zones": [{"name", "cluster"}],   the REST zones (consumption domains)
//	 "zonesApi": bool,                 default true; false: the zones routes answer 404, as on 7.x
//	 "storagePolicies": [{"name", "id"}]}  the SPBM profiles (replacing the simulator's defaults)
//
// govmomi 0.24.2 applies no HA/DRS/vSAN settings through ReconfigureComputeResource, so the
// cluster configuration and the host summaries are set on the simulator's objects before the
// server starts (nothing else runs then, so no lock is needed). It has no /api/session and no
// consumption-domains routes: both are added here on the simulator's mux.
package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha1"
	"crypto/subtle"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"io/ioutil"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/object"
	pbmmethods "github.com/vmware/govmomi/pbm/methods"
	pbmsim "github.com/vmware/govmomi/pbm/simulator"
	pbmtypes "github.com/vmware/govmomi/pbm/types"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/types"
)

type hostDesc struct {
	Name              string `json:"name"`
	NumCpuCores       int16  `json:"numCpuCores"`
	CpuMhz            int32  `json:"cpuMhz"`
	MemorySize        int64  `json:"memorySize"`
	ConnectionState   string `json:"connectionState"`
	InMaintenanceMode bool   `json:"inMaintenanceMode"`
	NoHardware        bool   `json:"noHardware"`
}

type policyDesc struct {
	Type          string   `json:"type"`
	CpuPercent    int32    `json:"cpuPercent"`
	MemoryPercent int32    `json:"memoryPercent"`
	AutoCompute   bool     `json:"autoCompute"`
	FailoverLevel int32    `json:"failoverLevel"`
	SlotCpu       int32    `json:"slotCpu"`
	SlotMemory    int32    `json:"slotMemory"`
	Hosts         []string `json:"hosts"`
}

type haDesc struct {
	Enabled                 bool        `json:"enabled"`
	AdmissionControlEnabled bool        `json:"admissionControlEnabled"`
	FailoverLevel           int32       `json:"failoverLevel"`
	Policy                  *policyDesc `json:"policy"`
}

type drsDesc struct {
	Enabled           bool   `json:"enabled"`
	DefaultVmBehavior string `json:"defaultVmBehavior"`
}

type datastoreDesc struct {
	Name  string   `json:"name"`
	Kind  string   `json:"kind"`
	Hosts []string `json:"hosts"`
}

type clusterDesc struct {
	Name       string          `json:"name"`
	Hosts      []hostDesc      `json:"hosts"`
	HA         haDesc          `json:"ha"`
	DRS        drsDesc         `json:"drs"`
	Vsan       bool            `json:"vsan"`
	Datastores []datastoreDesc `json:"datastores"`
}

type switchDesc struct {
	Name       string   `json:"name"`
	PortGroups []string `json:"portGroups"`
}

type zoneDesc struct {
	Name    string `json:"name"`
	Cluster string `json:"cluster"`
}

type policyProfileDesc struct {
	Name string `json:"name"`
	ID   string `json:"id"`
}

type description struct {
	User            string              `json:"user"`
	Password        string              `json:"password"`
	Clusters        []clusterDesc       `json:"clusters"`
	Switches        []switchDesc        `json:"switches"`
	Zones           []zoneDesc          `json:"zones"`
	ZonesAPI        *bool               `json:"zonesApi"`
	StoragePolicies []policyProfileDesc `json:"storagePolicies"`
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "vcsim: "+format+"\n", args...)
	os.Exit(1)
}

func check(err error, what string) {
	if err != nil {
		fail("%s: %v", what, err)
	}
}

var datastoreTypes = map[string]string{"vmfs": "VMFS", "nfs": "NFS", "nfs41": "NFS41", "vsan": "vsan"}

// build creates the described inventory in the simulator's registry; it returns each cluster's
// MoID by name.
func build(ctx context.Context, m *simulator.Model, d *description, tmp string) map[string]string {
	c, err := vim25.NewClient(ctx, m.Service)
	check(err, "in-process client")
	finder := find.NewFinder(c, false)
	dc, err := finder.DefaultDatacenter(ctx)
	check(err, "datacenter")
	folders, err := dc.Folders(ctx)
	check(err, "datacenter folders")

	moids := map[string]string{}
	hostRefs := map[string]types.ManagedObjectReference{}
	for _, cd := range d.Clusters {
		cluster, err := folders.HostFolder.CreateCluster(ctx, cd.Name, types.ClusterConfigSpecEx{})
		check(err, "cluster "+cd.Name)
		moids[cd.Name] = cluster.Reference().Value
		var hosts []types.ManagedObjectReference
		for _, hd := range cd.Hosts {
			task, err := cluster.AddHost(ctx, types.HostConnectSpec{HostName: hd.Name}, true, nil, nil)
			check(err, "host "+hd.Name)
			info, err := task.WaitForResult(ctx, nil)
			check(err, "host "+hd.Name)
			ref := info.Result.(types.ManagedObjectReference)
			hostRefs[hd.Name] = ref
			hosts = append(hosts, ref)

			h := simulator.Map.Get(ref).(*simulator.HostSystem)
			if hd.NoHardware {
				h.Summary.Hardware = nil
			} else {
				h.Summary.Hardware.NumCpuCores = hd.NumCpuCores
				h.Summary.Hardware.CpuMhz = hd.CpuMhz
				h.Summary.Hardware.MemorySize = hd.MemorySize
			}
			state := hd.ConnectionState
			if state == "" {
				state = "connected"
			}
			h.Runtime.ConnectionState = types.HostSystemConnectionState(state)
			h.Runtime.InMaintenanceMode = hd.InMaintenanceMode
		}

		// Datastores: created on the first of their hosts, then mounted on the others.
		for _, dd := range cd.Datastores {
			kind, ok := datastoreTypes[dd.Kind]
			if !ok {
				fail("datastore %s: unknown kind %q", dd.Name, dd.Kind)
			}
			mounts := hosts
			if dd.Hosts != nil {
				mounts = nil
				for _, name := range dd.Hosts {
					mounts = append(mounts, hostRefs[name])
				}
			}
			if len(mounts) == 0 {
				fail("datastore %s: no host to mount it on", dd.Name)
			}
			dir := filepath.Join(tmp, "ds-"+dd.Name)
			check(os.MkdirAll(dir, 0o755), "datastore dir")
			dss, err := object.NewHostSystem(c, mounts[0]).ConfigManager().DatastoreSystem(ctx)
			check(err, "datastore system")
			ds, err := dss.CreateLocalDatastore(ctx, dd.Name, dir)
			check(err, "datastore "+dd.Name)
			sds := simulator.Map.Get(ds.Reference()).(*simulator.Datastore)
			sds.Summary.Type = kind
			for _, ref := range mounts[1:] {
				sds.Host = append(sds.Host, types.DatastoreHostMount{
					Key: ref,
					MountInfo: types.HostMountInfo{
						AccessMode: string(types.HostMountModeReadWrite),
						Mounted:    types.NewBool(true),
						Accessible: types.NewBool(true),
					},
				})
				h := simulator.Map.Get(ref).(*simulator.HostSystem)
				h.Datastore = append(h.Datastore, ds.Reference())
			}
		}

		// HA, DRS and vSAN, set on the object (0.24.2's Reconfigure ignores them).
		cfg := &types.ClusterConfigInfoEx{}
		cfg.DasConfig.Enabled = types.NewBool(cd.HA.Enabled)
		cfg.DasConfig.AdmissionControlEnabled = types.NewBool(cd.HA.AdmissionControlEnabled)
		cfg.DasConfig.FailoverLevel = cd.HA.FailoverLevel
		if p := cd.HA.Policy; p != nil {
			switch p.Type {
			case "resources":
				cfg.DasConfig.AdmissionControlPolicy = &types.ClusterFailoverResourcesAdmissionControlPolicy{
					CpuFailoverResourcesPercent:    p.CpuPercent,
					MemoryFailoverResourcesPercent: p.MemoryPercent,
					FailoverLevel:                  p.FailoverLevel,
					AutoComputePercentages:         types.NewBool(p.AutoCompute),
				}
			case "level":
				pol := &types.ClusterFailoverLevelAdmissionControlPolicy{FailoverLevel: p.FailoverLevel}
				if p.SlotCpu != 0 || p.SlotMemory != 0 {
					pol.SlotPolicy = &types.ClusterFixedSizeSlotPolicy{Cpu: p.SlotCpu, Memory: p.SlotMemory}
				}
				cfg.DasConfig.AdmissionControlPolicy = pol
			case "hosts":
				pol := &types.ClusterFailoverHostAdmissionControlPolicy{FailoverLevel: int32(len(p.Hosts))}
				for _, name := range p.Hosts {
					ref, ok := hostRefs[name]
					if !ok {
						fail("cluster %s: failover host %s is not described", cd.Name, name)
					}
					pol.FailoverHosts = append(pol.FailoverHosts, ref)
				}
				cfg.DasConfig.AdmissionControlPolicy = pol
			case "unknown":
				cfg.DasConfig.AdmissionControlPolicy = &types.ClusterDasAdmissionControlPolicy{}
			default:
				fail("cluster %s: unknown policy type %q", cd.Name, p.Type)
			}
		}
		cfg.DrsConfig.Enabled = types.NewBool(cd.DRS.Enabled)
		behavior := cd.DRS.DefaultVmBehavior
		if behavior == "" {
			behavior = string(types.DrsBehaviorFullyAutomated)
		}
		cfg.DrsConfig.DefaultVmBehavior = types.DrsBehavior(behavior)
		cfg.VsanConfigInfo = &types.VsanClusterConfigInfo{Enabled: types.NewBool(cd.Vsan)}
		simulator.Map.Get(cluster.Reference()).(*simulator.ClusterComputeResource).ConfigurationEx = cfg
	}

	// Distributed switches: the simulator adds an uplink port group to each; mark it as vCenter
	// does (tag SYSTEM/DVS.UPLINKPG, config.uplink, the switch's config.uplinkPortgroup).
	for _, sd := range d.Switches {
		var spec types.DVSCreateSpec
		spec.ConfigSpec = &types.VMwareDVSConfigSpec{}
		spec.ConfigSpec.GetDVSConfigSpec().Name = sd.Name
		task, err := folders.NetworkFolder.CreateDVS(ctx, spec)
		check(err, "switch "+sd.Name)
		info, err := task.WaitForResult(ctx, nil)
		check(err, "switch "+sd.Name)
		dvsRef := info.Result.(types.ManagedObjectReference)
		sdvs := simulator.Map.Get(dvsRef).(*simulator.DistributedVirtualSwitch)
		for _, ref := range sdvs.Portgroup {
			pg := simulator.Map.Get(ref).(*simulator.DistributedVirtualPortgroup)
			pg.Config.Uplink = types.NewBool(true)
			pg.Tag = append(pg.Tag, types.Tag{Key: "SYSTEM/DVS.UPLINKPG"})
			sdvs.Config.GetDVSConfigInfo().UplinkPortgroup = append(sdvs.Config.GetDVSConfigInfo().UplinkPortgroup, ref)
		}
		dvs := object.NewDistributedVirtualSwitch(c, dvsRef)
		for _, name := range sd.PortGroups {
			task, err := dvs.AddPortgroup(ctx, []types.DVPortgroupConfigSpec{{Name: name, Type: "earlyBinding"}})
			check(err, "port group "+name)
			check(task.Wait(ctx), "port group "+name)
		}
	}
	return moids
}

func main() {
	certPath := ""
	args := os.Args[1:]
	for len(args) > 0 && len(args[0]) > 1 && args[0][0] == '-' {
		switch args[0] {
		case "-cert":
			if len(args) < 2 {
				fail("-cert needs a file")
			}
			certPath, args = args[1], args[2:]
		default:
			fail("unknown option %s (usage: vcsim [-cert FILE] [DESCRIPTION.json|-])", args[0])
		}
	}
	fromStdin := len(args) == 0 || args[0] == "-"
	var in io.Reader = os.Stdin
	if !fromStdin {
		f, err := os.Open(args[0])
		check(err, "description")
		defer f.Close()
		in = f
	}
	dec := json.NewDecoder(in)
	dec.DisallowUnknownFields()
	var d description
	check(dec.Decode(&d), "description")
	if d.User == "" {
		d.User = "administrator@vsphere.local"
	}
	if d.Password == "" {
		d.Password = "vcsim-password"
	}

	tmp, err := ioutil.TempDir("", "vcsim-")
	check(err, "temp dir")
	defer os.RemoveAll(tmp)
	if certPath == "" {
		certPath = filepath.Join(tmp, "cert.pem")
	}

	m := simulator.VPX()
	m.Datacenter = 1
	m.Cluster = 0
	m.ClusterHost = 0
	m.Host = 0
	m.Portgroup = 0
	m.PortgroupNSX = 0
	m.OpaqueNetwork = 0
	m.Datastore = 0
	m.Machine = 0
	m.Pool = 0
	m.App = 0
	m.Pod = 0
	m.Folder = 0
	check(m.Create(), "model")
	defer m.Remove()

	ctx := context.Background()
	moids := build(ctx, m, &d, tmp)
	setStoragePolicies(&d)

	cert, err := selfSigned(certPath)
	check(err, "certificate")
	m.Service.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	m.Service.Listen = &url.URL{Host: "127.0.0.1:0", User: url.UserPassword(d.User, d.Password)}
	m.Service.RegisterEndpoints = true // the SPBM simulator (/pbm)
	m.Service.ServeMux = http.NewServeMux()
	restRoutes(m.Service.ServeMux, &d, moids)

	s := m.Service.NewServer()
	defer s.Close()

	_, port, _ := net.SplitHostPort(s.URL.Host)
	u := *s.URL
	u.User = nil
	line, _ := json.Marshal(map[string]interface{}{
		"url": u.String(), "host": s.URL.Hostname(), "port": atoi(port), "cert": certPath,
	})
	fmt.Println(string(line))

	done := make(chan os.Signal, 1)
	signal.Notify(done, syscall.SIGTERM, syscall.SIGINT)
	if fromStdin {
		go func() {
			_, _ = io.Copy(ioutil.Discard, io.MultiReader(dec.Buffered(), os.Stdin))
			done <- syscall.SIGTERM
		}()
	}
	<-done
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

// setStoragePolicies replaces the SPBM simulator's default profiles with the described ones
// (when the description lists storagePolicies), each with its given profile ID.
func setStoragePolicies(d *description) {
	if d.StoragePolicies == nil {
		return
	}
	pm := &pbmsim.ProfileManager{}
	storage := pbmtypes.PbmProfileResourceType{ResourceType: string(pbmtypes.PbmProfileResourceTypeEnumSTORAGE)}
	ids := pm.PbmQueryProfile(&pbmtypes.PbmQueryProfile{ResourceType: storage}).(*pbmmethods.PbmQueryProfileBody).Res.Returnval
	pm.PbmDelete(&pbmtypes.PbmDelete{ProfileId: ids})
	ctx := &simulator.Context{Session: &simulator.Session{UserSession: types.UserSession{UserName: d.User}}}
	for _, p := range d.StoragePolicies {
		res := pm.PbmCreate(ctx, &pbmtypes.PbmCreate{CreateSpec: pbmtypes.PbmCapabilityProfileCreateSpec{
			Name:         p.Name,
			Category:     string(pbmtypes.PbmProfileCategoryEnumREQUIREMENT),
			ResourceType: storage,
		}}).(*pbmmethods.PbmCreateBody).Res.Returnval
		if p.ID == "" {
			continue
		}
		// PbmRetrieveContent hands back the stored profile itself: give it the described ID.
		got := pm.PbmRetrieveContent(&pbmtypes.PbmRetrieveContent{ProfileIds: []pbmtypes.PbmProfileId{res}}).(*pbmmethods.PbmRetrieveContentBody)
		got.Res.Returnval[0].GetPbmProfile().ProfileId.UniqueId = p.ID
	}
}

// selfSigned makes a self-signed certificate for 127.0.0.1 and localhost and writes it (PEM)
// to path.
func selfSigned(path string) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	pub, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		return tls.Certificate{}, err
	}
	ski := sha1.Sum(pub)
	serial, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "vcsim " + hex.EncodeToString(ski[:4])},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		SubjectKeyId:          ski[:],
		AuthorityKeyId:        ski[:],
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, err
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return tls.Certificate{}, err
	}
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})
	if err := ioutil.WriteFile(path, certPEM, 0o644); err != nil {
		return tls.Certificate{}, err
	}
	return tls.X509KeyPair(certPEM, keyPEM)
}

// restRoutes adds what 0.24.2 lacks: POST /api/session and the consumption-domains reads.
func restRoutes(mux *http.ServeMux, d *description, moids map[string]string) {
	var mu sync.Mutex
	sessions := map[string]bool{}
	zonesAPI := d.ZonesAPI == nil || *d.ZonesAPI

	writeJSON := func(w http.ResponseWriter, status int, v interface{}) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(v)
	}
	unauthenticated := func(w http.ResponseWriter) {
		writeJSON(w, http.StatusUnauthorized, map[string]interface{}{
			"error_type": "UNAUTHENTICATED", "messages": []interface{}{},
		})
	}
	mux.HandleFunc("/api/session", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.WriteHeader(http.StatusMethodNotAllowed)
			return
		}
		user, pass, ok := r.BasicAuth()
		if !ok || subtle.ConstantTimeCompare([]byte(user), []byte(d.User)) != 1 ||
			subtle.ConstantTimeCompare([]byte(pass), []byte(d.Password)) != 1 {
			unauthenticated(w)
			return
		}
		b := make([]byte, 16)
		_, _ = rand.Read(b)
		id := hex.EncodeToString(b)
		mu.Lock()
		sessions[id] = true
		mu.Unlock()
		writeJSON(w, http.StatusCreated, id)
	})
	authed := func(h func(w http.ResponseWriter, r *http.Request)) func(w http.ResponseWriter, r *http.Request) {
		return func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			ok := sessions[r.Header.Get("vmware-api-session-id")]
			mu.Unlock()
			if !ok {
				unauthenticated(w)
				return
			}
			if !zonesAPI {
				writeJSON(w, http.StatusNotFound, map[string]interface{}{
					"error_type": "NOT_FOUND", "messages": []interface{}{},
				})
				return
			}
			if r.Method != http.MethodGet {
				w.WriteHeader(http.StatusMethodNotAllowed)
				return
			}
			h(w, r)
		}
	}
	mux.HandleFunc("/api/vcenter/consumption-domains/zones", authed(func(w http.ResponseWriter, r *http.Request) {
		items := []interface{}{}
		for _, z := range d.Zones {
			items = append(items, map[string]interface{}{
				"zone": z.Name, "info": map[string]interface{}{"description": ""},
			})
		}
		writeJSON(w, http.StatusOK, map[string]interface{}{"items": items})
	}))
	mux.HandleFunc("/api/vcenter/consumption-domains/zone-associations/cluster", authed(func(w http.ResponseWriter, r *http.Request) {
		assoc := []interface{}{}
		for _, z := range d.Zones {
			moid, ok := moids[z.Cluster]
			if !ok {
				moid = z.Cluster // a cluster that is not described: its name stands for a MoID
			}
			assoc = append(assoc, map[string]interface{}{"zone": z.Name, "cluster": moid})
		}
		writeJSON(w, http.StatusOK, map[string]interface{}{"associations": assoc})
	}))
}
