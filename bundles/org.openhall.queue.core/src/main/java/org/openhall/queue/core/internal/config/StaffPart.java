package org.openhall.queue.core.internal.config;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/** Configuration org.openhall.staff-&lt;name&gt;: see {@link Ocds.Staff}. */
@Component(configurationPid = "org.openhall.staff", configurationPolicy = ConfigurationPolicy.REQUIRE, service = {}, immediate = true)
@Designate(ocd = Ocds.Staff.class, factory = true)
public final class StaffPart extends PartComponent {

    @Reference
    HallConfigRegistry registry;

    public StaffPart() {
        super(ConfigParsers::staff);
    }

    @Override
    HallConfigRegistry registry() {
        return registry;
    }

    @Activate
    @Modified
    void configure(Map<String, Object> properties) {
        update(properties);
    }

    @Deactivate
    void deactivate(int reason) {
        remove(reason);
    }
}
