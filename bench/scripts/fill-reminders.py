# Fills the reminder table of an all-in-one server (service id "orleanstabs") with N rows, as N live sessions would
# leave: "old" in the one sorted set of Orleans' own Redis table, "new" in the index. usage: fill-reminders.py old|new N GARNET_PORT
import socket,sys,random
mode=sys.argv[1]; n=int(sys.argv[2]); port=int(sys.argv[3])
def cmd(*args):
    out=b'*%d\r\n'%len(args)
    for a in args:
        a=a if isinstance(a,bytes) else str(a).encode()
        out+=b'$%d\r\n%s\r\n'%(len(a),a)
    return out
s=socket.create_connection(('127.0.0.1',port))
batch=[];sent=0
def flush():
    global batch,sent
    s.sendall(b''.join(batch)); expect=len(batch); got=0
    while got<expect: got+=s.recv(1<<20).count(b'\r\n')
    batch=[]
for i in range(n):
    h=random.randrange(2**32); gid='session/fill%07d'%i
    if mode=='old':
        v='"%08X","%s","expiry","%s","2026-12-04T19:00:00.0000000Z","00:30:00"'%(h,gid,'e%d'%i)
        batch.append(cmd('ZADD','orleanstabs/reminders',0,v))
    else:
        m='%d:%sexpiry'%(len(gid),gid)
        batch.append(cmd('ZADD','{orleanstabs/reminders}:index',h,m))
        batch.append(cmd('HSET','{orleanstabs/reminders}:rows',m,'e%d|639000000000000000|18000000000'%i))
    if len(batch)>=2000: flush()
if batch: flush()
print('filled',mode,n)
