create table ledger (id varchar(200) primary key);
